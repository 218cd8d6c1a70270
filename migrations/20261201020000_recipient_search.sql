-- §4.4 search: words of three or more characters are found through a trigram index on the
-- normalised search text; shorter words fall back to the office's list index.
create extension if not exists pg_trgm;
create index recipients_search_idx on recipients using gin (search_text gin_trgm_ops);
