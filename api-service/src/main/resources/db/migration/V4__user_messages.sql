-- Cinder's user messages (API 3.3+): why an asynchronous operation failed, for the user to read.
create table messages (
    id                uuid primary key,
    project_id        varchar(64)  not null,
    event_id          varchar(64)  not null,
    user_message      varchar(1024) not null,
    message_level     varchar(16)  not null,
    resource_type     varchar(32)  not null,
    resource_uuid     varchar(64),
    request_id        varchar(64),
    created_at        timestamp    not null,
    guaranteed_until  timestamp    not null
);
create index messages_project on messages (project_id, created_at desc);
