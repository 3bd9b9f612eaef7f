-- A volume's key goes when its row goes, whichever path removes the row (the batched delete, the
-- event of a host, a never-scheduled volume destroyed by the API), as Cinder deletes the key with
-- the volume. A key a clone copied has its own id, so it stays with the clone.
create function delete_volume_key() returns trigger language plpgsql as $$
begin
    if old.encryption_key_id is not null then
        delete from encryption_keys where id = old.encryption_key_id;
    end if;
    return old;
end;
$$;

create trigger volumes_delete_key after delete on volumes
    for each row execute function delete_volume_key();
