"""What a worker records beside latency: GC pauses, CPU time, memory."""
