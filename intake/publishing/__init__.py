"""Debunks: publish and withdraw from the case page; the public pages, ClaimReview,
the Atom feed and the sitemap."""
