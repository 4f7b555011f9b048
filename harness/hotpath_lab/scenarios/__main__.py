"""``python -m hotpath_lab.scenarios NAME|PATH``: print a manifest's generator config JSON."""

from hotpath_lab.scenarios.manifest import main

raise SystemExit(main())
