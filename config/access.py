"""Who may open the site's own pages (config/urls.py); registered with accounts/access.py by config/urls.py."""

from accounts.access import PUBLIC

ACCESS: dict[str, str] = {
    "healthz": PUBLIC,
    "set_language": PUBLIC,
    "root": PUBLIC,
    "home": PUBLIC,
    "accessibility": PUBLIC,
    "privacy": PUBLIC,
    "sitemap": PUBLIC,
    # MEDIA_URL: public uploads (announcement images); private attachments live elsewhere.
    "media": PUBLIC,
}
