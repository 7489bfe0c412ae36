-- 002_spans.sql: schema version 2: where the source, target and verb are in
-- the sentence (byte offset and length in text; NULL when unknown, as in the
-- mentions of stores made before version 2), for mentions and for events
-- (those of their first mention); and two covering indexes for dyad serve:
-- the events' order with what the timeline sums (pages walk it, the timeline
-- reads nothing else), and the dyads with what their table sums; and the
-- two mixed dyad lookups (an actor code on one side, a country on the
-- other) that --dyad A:B makes besides code:code and country:country.
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
CREATE INDEX events_order ON events (day_first, id, quad, goldstein, num_mentions);
CREATE INDEX events_dyads ON events (source_country, target_country, source, target, num_mentions, goldstein);
CREATE INDEX events_source_tc ON events (source, target_country);
CREATE INDEX events_sc_target ON events (source_country, target);
