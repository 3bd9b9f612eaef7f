-- Attachments of volumes (Cinder's volume_attachment): the new API's (3.27+) and the legacy os-attach's.
-- attach_status: reserved -> attaching (a connection opened) -> attached (completed) -> row removed;
-- 'detaching' while the host closes the connection. The row goes with its volume.
create table volume_attachments (
    id               uuid primary key,
    volume_id        uuid         not null references volumes (id) on delete cascade,
    project_id       varchar(64)  not null,
    instance_uuid    varchar(64),
    attached_host    varchar(255),
    mountpoint       varchar(255),
    attach_mode      varchar(8),
    attach_status    varchar(32)  not null,
    -- The status a call in flight (attaching, detaching) returns to if it never answers.
    previous_status  varchar(32),
    connector        text,
    connection_info  text,
    attach_time      timestamp,
    detach_time      timestamp,
    created_at       timestamp    not null,
    updated_at       timestamp
);
create index volume_attachments_volume on volume_attachments (volume_id, created_at);
create index volume_attachments_project on volume_attachments (project_id, created_at desc, id);
-- The sweeper's search for calls whose API process died while waiting.
create index volume_attachments_in_flight on volume_attachments (updated_at)
    where attach_status in ('attaching', 'detaching') and previous_status is not null;
