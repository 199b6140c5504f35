// Per-column bias (Qwen2's q/k/v projections): the add over rows and its gradient, a column sum.

// rows [start, end) of x (rows, dim) += bias (dim)
export function bias_add(start: i32, end: i32, scratch: usize, x: usize, bias: usize, dim: i32): void {
  for (let r = start; r < end; r++) {
    const row = x + (<usize>r * <usize>dim << 2);
    let c = 0;
    for (; c + 4 <= dim; c += 4) {
      const o = <usize>c << 2;
      v128.store(row + o, f32x4.add(v128.load(row + o), v128.load(bias + o)));
    }
    for (; c < dim; c++) {
      const o = <usize>c << 2;
      store<f32>(row + o, load<f32>(row + o) + load<f32>(bias + o));
    }
  }
}

// columns [start, end) of dbias (dim) += Σ_r dout[r, c]; rows walked in order so each thread reads its own lines
export function bias_bwd(start: i32, end: i32, scratch: usize, dbias: usize, dout: usize, rows: i32, dim: i32): void {
  for (let r = 0; r < rows; r++) {
    const row = dout + (<usize>r * <usize>dim << 2);
    let c = start;
    for (; c + 4 <= end; c += 4) {
      const o = <usize>c << 2;
      v128.store(dbias + o, f32x4.add(v128.load(dbias + o), v128.load(row + o)));
    }
    for (; c < end; c++) {
      const o = <usize>c << 2;
      store<f32>(dbias + o, load<f32>(dbias + o) + load<f32>(row + o));
    }
  }
}
