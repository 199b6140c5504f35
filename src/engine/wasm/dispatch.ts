// The one entry point the engine calls: run(op, start, end, scratch) reads the kernel's arguments from a
// fixed block of f64 slots in low memory (written by the main thread), so calls from JS pass only small
// integers and never allocate. Op numbers follow OPS in ../wasm-engine.ts.
import { attention_decode } from './attention';
import { bias_add, bias_bwd } from './bias';
import { attention_fwd, attention_bwd } from './attention-blocks';
import { add_f32, scale_f32, sum_squares, swiglu_fwd, swiglu_bwd, adamw_step, log_softmax_fwd, log_softmax_bwd } from './elementwise';
import { gemm_pack, gemm_compute } from './gemm';
import { linear_rows } from './gemv';
import { rmsnorm_fwd, rmsnorm_bwd_dx, rmsnorm_bwd_dw, embedding_fwd, embedding_bwd, rope_table, rope_apply } from './rows';

const ARGS: usize = 0xf000; // 16 f64 slots inside the 64 KiB the engine keeps free below its arena
const RESULT_SLOT: usize = 15;

@inline function ptr(i: i32): usize { return <usize>load<f64>(ARGS + (<usize>i << 3)); }
@inline function int(i: i32): i32 { return <i32>load<f64>(ARGS + (<usize>i << 3)); }
@inline function flt(i: i32): f32 { return <f32>load<f64>(ARGS + (<usize>i << 3)); }
@inline function dbl(i: i32): f64 { return load<f64>(ARGS + (<usize>i << 3)); }

export function run(op: i32, start: i32, end: i32, scratch: usize): void {
  switch (op) {
    case 0: gemm_pack(start, end, scratch, ptr(0), ptr(1), int(2), int(3), int(4), int(5)); break;
    case 1: gemm_compute(start, end, scratch, ptr(0), int(1), ptr(2), int(3), int(4), ptr(5), int(6), int(7), int(8)); break;
    case 2: add_f32(start, end, scratch, ptr(0), ptr(1), ptr(2)); break;
    case 3: scale_f32(start, end, scratch, ptr(0), flt(1)); break;
    case 4: store<f64>(ARGS + RESULT_SLOT * 8, sum_squares(start, end, scratch, ptr(0))); break;
    case 5: swiglu_fwd(start, end, scratch, ptr(0), ptr(1), ptr(2)); break;
    case 6: swiglu_bwd(start, end, scratch, ptr(0), ptr(1), ptr(2), ptr(3), ptr(4)); break;
    case 7: adamw_step(start, end, scratch, ptr(0), ptr(1), ptr(2), ptr(3), flt(4), flt(5), flt(6), flt(7), flt(8), flt(9)); break;
    case 8: log_softmax_fwd(start, end, scratch, ptr(0), ptr(1), ptr(2), ptr(3), int(4)); break;
    case 9: log_softmax_bwd(start, end, scratch, ptr(0), ptr(1), ptr(2), ptr(3), ptr(4), int(5)); break;
    case 10: rmsnorm_fwd(start, end, scratch, ptr(0), ptr(1), ptr(2), ptr(3), int(4), flt(5)); break;
    case 11: rmsnorm_bwd_dx(start, end, scratch, ptr(0), ptr(1), ptr(2), ptr(3), ptr(4), int(5)); break;
    case 12: rmsnorm_bwd_dw(start, end, scratch, ptr(0), ptr(1), ptr(2), ptr(3), int(4), int(5)); break;
    case 13: embedding_fwd(start, end, scratch, ptr(0), ptr(1), ptr(2), int(3)); break;
    case 14: embedding_bwd(start, end, scratch, ptr(0), ptr(1), ptr(2), int(3), int(4)); break;
    case 15: rope_table(start, end, scratch, ptr(0), int(1), ptr(2)); break;
    case 16: rope_apply(start, end, scratch, ptr(0), ptr(1), int(2), int(3), ptr(4), int(5), ptr(6), flt(7)); break;
    case 17: attention_fwd(start, end, scratch, ptr(0), ptr(1), ptr(2), ptr(3), ptr(4), int(5), int(6), int(7), int(8), flt(9)); break;
    case 18:
      attention_decode(start, end, scratch, ptr(0), ptr(1), ptr(2), ptr(3), ptr(4), int(5), int(6), int(7), int(8),
        flt(9), ptr(10));
      break;
    case 19: attention_bwd(start, end, scratch, ptr(0), ptr(1), ptr(2), ptr(3), ptr(4), ptr(5), ptr(6), ptr(7), ptr(8), int(9), int(10), int(11), int(12), flt(13)); break;
    case 20: linear_rows(start, end, scratch, ptr(0), ptr(1), ptr(2), int(3), int(4), int(5)); break;
    case 21: bias_add(start, end, scratch, ptr(0), ptr(1), int(2)); break;
    case 22: bias_bwd(start, end, scratch, ptr(0), ptr(1), int(2), int(3)); break;
    default: unreachable();
  }
}
