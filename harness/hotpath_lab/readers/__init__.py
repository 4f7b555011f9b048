"""The contention experiment of ``hotpath readers`` (``docs/readers.md``): the engine
publishing its top of book to a lock-free or a mutex board while reader threads poll it."""
