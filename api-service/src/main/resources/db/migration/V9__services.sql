-- Whether each service takes new work (os-services disable/enable): the API's own record, which it
-- answers from at once and sends to the scheduler through the outbox. Liveness is not here: it is
-- the heartbeats, kept in memory from the compacted topics.
create table services (
    binary_name      varchar(255) not null,
    host             varchar(255) not null,
    disabled         boolean      not null,
    disabled_reason  varchar(255),
    updated_at       timestamp    not null,
    primary key (binary_name, host)
);
