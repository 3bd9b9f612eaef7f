-- A volume's migration (os-migrate_volume): Cinder's migration_status column. The partial index
-- keeps the deadline sweep over in-flight migrations from scanning every volume.
alter table volumes add column migration_status varchar(255);
create index volumes_migrating on volumes (migration_status)
  where migration_status in ('starting', 'migrating', 'completing');
