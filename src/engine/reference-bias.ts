// Reference kernels for a per-column bias (Qwen2's q/k/v projections): the add and its gradient, a column sum.
import type { Vec } from './reference.ts';

// x (rows, dim) += bias (dim)
export function biasAdd(x: Vec, bias: Vec, rows: number, dim: number): void {
  for (let r = 0; r < rows; r++) for (let c = 0; c < dim; c++) x[r * dim + c]! += bias[c]!;
}

// dbias (dim) += Σ_r dout (rows, dim)
export function biasBackward(dbias: Vec, dout: Vec, rows: number, dim: number): void {
  for (let c = 0; c < dim; c++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += dout[r * dim + c]!;
    dbias[c]! += s;
  }
}
