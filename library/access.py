"""Who may open the library's URLs (see accounts/access.py): all of them are public."""

from accounts.access import PUBLIC

ACCESS: dict[str, str] = {
    "library:library": PUBLIC,
    "library:suggestions": PUBLIC,
    "library:open_data": PUBLIC,
    "library:practice_detail": PUBLIC,
    "library:municipality_list": PUBLIC,
    "library:municipality_detail": PUBLIC,
    "library:county_list": PUBLIC,
    "library:county_detail": PUBLIC,
    "library:region_list": PUBLIC,
    "library:region_detail": PUBLIC,
    # the open-data API
    "api:*": PUBLIC,
}
