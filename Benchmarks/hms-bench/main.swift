print("hms-bench: see Benchmarks/README")
