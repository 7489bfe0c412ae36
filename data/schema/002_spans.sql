-- 002_spans.sql: schema version 2: where the source, target and verb are in
-- the sentence (byte offset and length in text; NULL when unknown, as in the
-- mentions of stores made before version 2), for mentions and for events
-- (those of their first mention); and the index of the events' order, which
-- pages of events (dyad serve) walk.
ALTER TABLE mentions ADD COLUMN source_off INTEGER;
ALTER TABLE mentions ADD COLUMN source_len INTEGER;
ALTER TABLE mentions ADD COLUMN target_off INTEGER;
ALTER TABLE mentions ADD COLUMN target_len INTEGER;
ALTER TABLE mentions ADD COLUMN verb_off INTEGER;
ALTER TABLE mentions ADD COLUMN verb_len INTEGER;
ALTER TABLE events ADD COLUMN source_off INTEGER;
ALTER TABLE events ADD COLUMN source_len INTEGER;
ALTER TABLE events ADD COLUMN target_off INTEGER;
ALTER TABLE events ADD COLUMN target_len INTEGER;
ALTER TABLE events ADD COLUMN verb_off INTEGER;
ALTER TABLE events ADD COLUMN verb_len INTEGER;
CREATE INDEX events_order ON events (day_first, id);
