"""One module per ``netra`` command; each takes the :class:`~netra.wiring.Services` of the group."""
