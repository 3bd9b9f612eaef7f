-- Where a volume's data came from, and what it carries from there (Cinder's volumes columns and
-- its volume_glance_metadata / volume_admin_metadata tables, kept as JSON maps here).
alter table volumes
    add column bootable              boolean     not null default false,
    add column snapshot_id           uuid,
    add column source_volid          uuid,
    add column image_id              varchar(255),
    add column encryption_key_id     uuid,
    add column volume_image_metadata text        not null default '{}',
    add column admin_metadata        text        not null default '{}',
    add column previous_status       varchar(32);
