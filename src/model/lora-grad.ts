// LoRA through the full weight: the engine trains W = W0 + s·B·A (s = alpha / r) with its ordinary kernels, and
// the gradient of the loss with respect to W (dW, what the engine's backward already computes) gives the
// adapter's: dA = s·Bᵀ·dW and dB = s·dW·Aᵀ. No new kernels; the base W0 stays frozen.
// Shapes: W0, W, dW (m, n); A (r, n); B (m, r). Sums run in float64.

/** out ← W0 + s·B·A. */
export function mergeInto(out: Float32Array, w0: Float32Array, a: Float32Array, b: Float32Array,
  m: number, n: number, r: number, s: number): void {
  const row = new Float64Array(n); // one row of B·A
  for (let o = 0; o < m; o++) {
    row.fill(0);
    for (let k = 0; k < r; k++) {
      const bok = s * (b[o * r + k] as number);
      if (bok === 0) continue;
      for (let i = 0; i < n; i++) row[i] = (row[i] as number) + bok * (a[k * n + i] as number);
    }
    for (let i = 0; i < n; i++) out[o * n + i] = (w0[o * n + i] as number) + (row[i] as number);
  }
}

/** dA (r, n) and dB (m, r) from dW (m, n); accumulated into the given buffers. */
export function loraGradients(dW: Float32Array, a: Float32Array, b: Float32Array, m: number, n: number, r: number,
  s: number, dA: Float32Array, dB: Float32Array): void {
  const dARow = new Float64Array(n);
  for (let k = 0; k < r; k++) {
    dARow.fill(0);
    for (let o = 0; o < m; o++) {
      const bok = b[o * r + k] as number; // Bᵀ[k, o]
      if (bok === 0) continue;
      for (let i = 0; i < n; i++) dARow[i] = (dARow[i] as number) + bok * (dW[o * n + i] as number);
    }
    for (let i = 0; i < n; i++) dA[k * n + i] = (dA[k * n + i] as number) + s * (dARow[i] as number);
  }
  for (let o = 0; o < m; o++) {
    for (let k = 0; k < r; k++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += (dW[o * n + i] as number) * (a[k * n + i] as number); // (dW·Aᵀ)[o, k]
      dB[o * r + k] = (dB[o * r + k] as number) + s * sum;
    }
  }
}
