// Entry point of the WebAssembly kernels. Every kernel takes (start, end, scratch, ...) so the thread pool
// can split its units [0, total) between threads; scratch is the calling thread's private scratch memory.
export { gemm_pack, gemm_compute } from './gemm';
export { add_f32, scale_f32, sum_squares, swiglu_fwd, swiglu_bwd, adamw_step, log_softmax_fwd, log_softmax_bwd } from './elementwise';
export { rmsnorm_fwd, rmsnorm_bwd_dx, rmsnorm_bwd_dw, embedding_fwd, embedding_bwd, rope_table, rope_apply } from './rows';
export { attention_fwd, attention_decode, attention_bwd } from './attention';
