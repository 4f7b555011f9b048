"""The lab's side of wire runs (docs/wire.md): gateway processes measured by the Rust load
generator ``hotpath-loadgen``, beside the machine's floors.

==================  ==========================================================
``binaries``        where ``hotpath-gateway`` and ``hotpath-loadgen`` are
``targets``         the four targets (two gateways, two floors) and their commands
``affinity``        which core each side gets; starting a process on one
``process``         a gateway process: listening line, stop, stopped line
``sampling``        its CPU and memory from /proc, the timed session's share
``loadgen``         running the generator; ``loadgen_report``: its summary file
``session``         one target measured: start, sample, generator, stop
``results``         a measurement as the run model's sections
``digest_check``    every gateway must give the in-process reports
``figures``         multiples of the floors, Python ÷ Rust
``bench``           ``hotpath bench --mode wire``: one run folder
``sustain``         the sustained-rate rule; ``sweep``: ``hotpath sweep``
``client``          a pyzmq DEALER session with one gateway (the Python tools' client)
``fanout``          one stream to several gateways, each answer seen as it arrives
``tee``             ``hotpath shadow --wire``: two gateways compared live
``partition``       the canary's routing: accounts to old or new, market data to both
``perturb``         the testing aid that alters one event of a candidate's copy
``canary``          ``hotpath canary``; ``canary_model``, ``canary_report``: its files
==================  ==========================================================
"""
