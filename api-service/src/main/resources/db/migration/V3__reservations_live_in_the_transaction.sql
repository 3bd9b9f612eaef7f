-- A reservation is committed or rolled back by the transaction that made it (QuotaService), so it
-- needs no row of its own.
drop table reservations;
