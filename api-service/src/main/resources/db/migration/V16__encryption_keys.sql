-- The local key manager's keys (Cinder asks Barbican; Ember keeps them here by default): one key
-- per encrypted volume, never shared, so deleting one volume's key leaves its clones readable.
create table encryption_keys (
    id          uuid primary key,
    project_id  varchar(64)  not null,
    algorithm   varchar(32)  not null,
    bit_length  integer      not null,
    material    varchar(128) not null,
    created_at  timestamp    not null
);
