"""The lab's side of the drop-copy (``docs/dropcopy.md``): a Redis server of its own
(``server``), the run index (``index``), reading the streams back (``readback``), the
exactly-once check against a build's reports (``verify``) and ``hotpath watch``'s live
summary (``watch``). The publishers themselves belong to the builds."""
