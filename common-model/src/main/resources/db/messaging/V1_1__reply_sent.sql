-- The replies a volume host sent to request-reply calls (common-model reply/ReplySender), so that a
-- command that comes again for the same call is answered the same, without its effect again.
-- Forgotten with the inbox ids (InboxRetention).
create table reply_sent (
    correlation_id  varchar(64) primary key,
    reply           text        not null,
    sent_at         timestamptz not null default now()
);
