-- What an upload or a retype in flight is about, for its result and its deadline: the image the
-- volume is being copied into, the type it is being changed to.
alter table volumes add column upload_image_id varchar(64);
alter table volumes add column retype_type_id uuid;

-- DeadlineSweeper looks for these two statuses as well, with the same kind of index as V5's.
create index volumes_uploading_or_retyping on volumes (status)
    where status in ('uploading', 'retyping');
