"""Which case a report joins: signatures, the bilingual glossary, the case term index,
merge and split."""
