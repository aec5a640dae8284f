"""Cross-cutting foundations: configuration, extensions, the models, the clock, ids,
labels, links, schema upgrades, SQLite tuning, HTTP behaviour, jobs and the root CLI."""
