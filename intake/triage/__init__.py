"""The only importer of classifier/: scoring, the model registry, the quality gate,
training from decisions, the admin model page and `flask model`."""
