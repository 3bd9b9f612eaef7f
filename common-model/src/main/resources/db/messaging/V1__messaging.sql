-- Outbox and inbox of the transactional messaging rules (ARCHITECTURE.md, "Delivery rules").
-- Every service runs this migration in its own database.
create table outbox (
    id          bigserial primary key,
    topic       varchar(255) not null,
    msg_key     varchar(255),
    payload     text         not null,
    created_at  timestamptz  not null default now()
);

create table inbox (
    consumer      varchar(100) not null,
    message_id    varchar(64)  not null,
    processed_at  timestamptz  not null default now(),
    primary key (consumer, message_id)
);
