"""Transparency figures per month for the staff page, the public page and
`flask reports transparency`."""
