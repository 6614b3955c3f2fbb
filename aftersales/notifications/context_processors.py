from aftersales.notifications.selectors import unread_count


def notices(request) -> dict:
    """The unread count for the bell in the header (lazy: only queried when a template uses it)."""
    return {"unread_notices": lambda: unread_count(request.user)}
