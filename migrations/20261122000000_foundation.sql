-- Foundation: extensions and the updated_at helper every table with an updated_at column uses.

create extension if not exists citext;

-- Sets updated_at to now() whenever a row changes.
create function kk_set_updated_at() returns trigger
language plpgsql as $$
begin
    if row(new.*) is distinct from row(old.*) and new.updated_at is not distinct from old.updated_at then
        new.updated_at := now();
    end if;
    return new;
end;
$$;

-- Usage in a migration: select kk_manage_updated_at('recipients');
create function kk_manage_updated_at(_table regclass) returns void
language plpgsql as $$
begin
    execute format(
        'create trigger set_updated_at before update on %s for each row execute function kk_set_updated_at()',
        _table
    );
end;
$$;
