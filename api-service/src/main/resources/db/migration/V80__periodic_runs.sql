-- The periodic jobs every api replica's timer fires (housekeeping/DeadlineSweeper, QuotaAudit):
-- one claim per cycle for the whole service (common-model jdbc/OncePerCycle, docs/replicas.md).
create table periodic_runs (
    job         varchar(64) primary key,
    started_at  timestamptz not null,
    runs        bigint      not null
);
