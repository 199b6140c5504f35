{
  "targets": [{
    "target_name": "eto_native",
    "sources": ["src/addon.cc", "src/gemm.cc", "src/pool.cc", "src/peak.cc", "src/attention.cc"],
    "cflags_cc!": ["-fno-exceptions"],
    "cflags_cc": ["-O3", "-march=native", "-ffp-contract=fast", "-std=gnu++17", "-fno-math-errno"],
    "cflags": ["-O3", "-march=native"]
  }]
}
