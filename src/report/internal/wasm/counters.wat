;; The bootstrap's replicate counters (src/report/internal/sliced.ts) in WebAssembly SIMD: one cell per counter,
;; R replicates as V = ceil(R / 128) v128 vectors (bit r of the cell's planes is replicate r), carry-save levels as
;; in the JavaScript banks. JavaScript reads every offset it shares with this module from the exported globals,
;; after `configure`.
;;
;; Memory: [carry: V vectors] [registers: REGISTERS x MAX_PLANES x V vectors, the numbers being added]
;;         [queue: LIST_CAPACITY additions of 4 i32 (cell, planes' address, count, times)]
;;         [read: 32 vectors of scratch, then a cell's counts as 128 V i32] [cells: per cell a 16-byte header (i32 flags: bit k = level k holds a
;;         pending input) and PLANES levels of (sum: V vectors, pending: V vectors)]
;; A carry out of the top level goes to JavaScript (`spill`), which adds it to the cell's floats.
(module
  (import "sliced" "spill" (func $spill (param i32 i32 i32)))
  (memory (export "memory") 1)
  (global $planes (export "planes") i32 (i32.const 12))
  (global $registers (export "registers") i32 (i32.const 8))
  (global $max_planes (export "max_planes") i32 (i32.const 64))
  (global $list_capacity (export "list_capacity") i32 (i32.const 2048))
  (global $header_bytes (export "header_bytes") i32 (i32.const 16))
  (global $vb (mut i32) (i32.const 0))
  (global $carry_base (export "carry_base") (mut i32) (i32.const 64))
  (global $reg_base (export "reg_base") (mut i32) (i32.const 0))
  (global $reg_bytes (export "reg_bytes") (mut i32) (i32.const 0))
  (global $list_base (export "list_base") (mut i32) (i32.const 0))
  (global $read_scratch (mut i32) (i32.const 0))
  (global $read_base (export "read_base") (mut i32) (i32.const 0))
  (global $cells_base (export "cells_base") (mut i32) (i32.const 0))
  (global $cell_bytes (export "cell_bytes") (mut i32) (i32.const 0))

  (func $align64 (param $x i32) (result i32)
    (i32.and (i32.add (local.get $x) (i32.const 63)) (i32.const -64)))

  ;; Lays memory out for `vectors` v128 per number and grows it to hold everything but the cells.
  (func (export "configure") (param $vectors i32)
    (local $end i32) (local $have i32)
    (global.set $vb (i32.shl (local.get $vectors) (i32.const 4)))
    (global.set $reg_base (call $align64 (i32.add (global.get $carry_base) (global.get $vb))))
    (global.set $reg_bytes (i32.mul (global.get $max_planes) (global.get $vb)))
    (global.set $list_base (call $align64 (i32.add (global.get $reg_base) (i32.mul (global.get $registers) (global.get $reg_bytes)))))
    (global.set $read_scratch (call $align64 (i32.add (global.get $list_base) (i32.shl (global.get $list_capacity) (i32.const 4)))))
    (global.set $read_base (i32.add (global.get $read_scratch) (i32.const 512)))
    (global.set $cells_base (call $align64 (i32.add (global.get $read_base) (i32.shl (global.get $vb) (i32.const 5)))))
    (global.set $cell_bytes (i32.add (global.get $header_bytes) (i32.mul (global.get $planes) (i32.shl (global.get $vb) (i32.const 1)))))
    (local.set $have (i32.shl (memory.size) (i32.const 16)))
    (if (i32.gt_u (global.get $cells_base) (local.get $have))
      (then (drop (memory.grow (i32.shr_u (i32.add (i32.sub (global.get $cells_base) (local.get $have)) (i32.const 65535)) (i32.const 16)))))))

  ;; Adds the number plane at `src` (V vectors) to a cell at `level`: stored as the level's pending input when it
  ;; has none, else a full adder of sum, pending and input whose carry goes on to the next level.
  (func $input (param $cell i32) (param $src i32) (param $level i32)
    (local $base i32) (local $flags i32) (local $bit i32) (local $blk i32) (local $from i32) (local $v i32)
    (local $a v128) (local $b v128) (local $h v128) (local $x v128)
    (local.set $base (i32.add (global.get $cells_base) (i32.mul (local.get $cell) (global.get $cell_bytes))))
    (local.set $flags (i32.load (local.get $base)))
    (local.set $from (local.get $src))
    (block $done
      (loop $next
        (if (i32.ge_u (local.get $level) (global.get $planes))
          (then (call $spill (local.get $cell) (local.get $level) (local.get $from)) (br $done)))
        (local.set $bit (i32.shl (i32.const 1) (local.get $level)))
        (local.set $blk (i32.add (i32.add (local.get $base) (global.get $header_bytes))
          (i32.mul (local.get $level) (i32.shl (global.get $vb) (i32.const 1)))))
        (if (i32.eqz (i32.and (local.get $flags) (local.get $bit)))
          (then
            (local.set $v (i32.const 0))
            (loop $copy
              (v128.store (i32.add (i32.add (local.get $blk) (global.get $vb)) (local.get $v))
                (v128.load (i32.add (local.get $from) (local.get $v))))
              (local.set $v (i32.add (local.get $v) (i32.const 16)))
              (br_if $copy (i32.lt_u (local.get $v) (global.get $vb))))
            (local.set $flags (i32.or (local.get $flags) (local.get $bit)))
            (br $done)))
        (local.set $v (i32.const 0))
        (loop $add
          (local.set $a (v128.load (i32.add (local.get $blk) (local.get $v))))
          (local.set $b (v128.load (i32.add (i32.add (local.get $blk) (global.get $vb)) (local.get $v))))
          (local.set $x (v128.load (i32.add (local.get $from) (local.get $v))))
          (local.set $h (v128.xor (local.get $a) (local.get $b)))
          (v128.store (i32.add (local.get $blk) (local.get $v)) (v128.xor (local.get $h) (local.get $x)))
          (v128.store (i32.add (global.get $carry_base) (local.get $v))
            (v128.or (v128.and (local.get $a) (local.get $b)) (v128.and (local.get $h) (local.get $x))))
          (local.set $v (i32.add (local.get $v) (i32.const 16)))
          (br_if $add (i32.lt_u (local.get $v) (global.get $vb))))
        (local.set $flags (i32.xor (local.get $flags) (local.get $bit)))
        (local.set $from (global.get $carry_base))
        (local.set $level (i32.add (local.get $level) (i32.const 1)))
        (br $next)))
    (i32.store (local.get $base) (local.get $flags)))

  ;; `input` for V = 2 (129 to 256 replicates, the default 200): the input and carry stay in locals.
  (func $input2 (param $cell i32) (param $src i32) (param $level i32)
    (local $base i32) (local $flags i32) (local $bit i32) (local $blk i32)
    (local $a v128) (local $b v128) (local $h v128) (local $x0 v128) (local $x1 v128)
    (local.set $base (i32.add (global.get $cells_base) (i32.mul (local.get $cell) (global.get $cell_bytes))))
    (local.set $flags (i32.load (local.get $base)))
    (local.set $x0 (v128.load (local.get $src)))
    (local.set $x1 (v128.load offset=16 (local.get $src)))
    (block $done
      (loop $next
        (if (i32.ge_u (local.get $level) (global.get $planes))
          (then
            (v128.store (global.get $carry_base) (local.get $x0))
            (v128.store offset=16 (global.get $carry_base) (local.get $x1))
            (call $spill (local.get $cell) (local.get $level) (global.get $carry_base))
            (br $done)))
        (local.set $bit (i32.shl (i32.const 1) (local.get $level)))
        ;; header 16 bytes, then 64 bytes per level: sum (2 vectors), pending (2 vectors)
        (local.set $blk (i32.add (local.get $base) (i32.add (i32.const 16) (i32.shl (local.get $level) (i32.const 6)))))
        (if (i32.eqz (i32.and (local.get $flags) (local.get $bit)))
          (then
            (v128.store offset=32 (local.get $blk) (local.get $x0))
            (v128.store offset=48 (local.get $blk) (local.get $x1))
            (local.set $flags (i32.or (local.get $flags) (local.get $bit)))
            (br $done)))
        (local.set $a (v128.load (local.get $blk)))
        (local.set $b (v128.load offset=32 (local.get $blk)))
        (local.set $h (v128.xor (local.get $a) (local.get $b)))
        (v128.store (local.get $blk) (v128.xor (local.get $h) (local.get $x0)))
        (local.set $x0 (v128.or (v128.and (local.get $a) (local.get $b)) (v128.and (local.get $h) (local.get $x0))))
        (local.set $a (v128.load offset=16 (local.get $blk)))
        (local.set $b (v128.load offset=48 (local.get $blk)))
        (local.set $h (v128.xor (local.get $a) (local.get $b)))
        (v128.store offset=16 (local.get $blk) (v128.xor (local.get $h) (local.get $x1)))
        (local.set $x1 (v128.or (v128.and (local.get $a) (local.get $b)) (v128.and (local.get $h) (local.get $x1))))
        (local.set $flags (i32.xor (local.get $flags) (local.get $bit)))
        (local.set $level (i32.add (local.get $level) (i32.const 1)))
        (br $next)))
    (i32.store (local.get $base) (local.get $flags)))

  ;; Adds `times` (>= 1) times the `count`-plane number at `src` to a cell: plane p at level p + (bit of times).
  (func $add (export "add") (param $cell i32) (param $src i32) (param $count i32) (param $times i32)
    (local $shift i32) (local $p i32)
    (block $end
      (loop $bits
        (br_if $end (i32.eqz (local.get $times)))
        (if (i32.and (local.get $times) (i32.const 1))
          (then
            (local.set $p (i32.const 0))
            (block $planes_done
              (loop $plane
                (br_if $planes_done (i32.ge_u (local.get $p) (local.get $count)))
                (if (i32.eq (global.get $vb) (i32.const 32))
                  (then (call $input2 (local.get $cell) (i32.add (local.get $src) (i32.mul (local.get $p) (global.get $vb)))
                    (i32.add (local.get $p) (local.get $shift))))
                  (else (call $input (local.get $cell) (i32.add (local.get $src) (i32.mul (local.get $p) (global.get $vb)))
                    (i32.add (local.get $p) (local.get $shift)))))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $plane)))))
        (local.set $shift (i32.add (local.get $shift) (i32.const 1)))
        (local.set $times (i32.shr_u (local.get $times) (i32.const 1)))
        (br $bits))))

;; Runs the first `n` queued additions, in order: per entry (16 bytes) a cell, the address of a number's planes,
  ;; their count and how many times to add it (`add`). One call for many journeys (the journey lane, sliced.ts). For V = 2
  ;; (129 to 256 replicates, the default 200) an entry added once, the usual one, runs `input2` inline with the
  ;; cell's flags kept in a local across its planes: no call per plane, no loop over the bits of `times`.
  (func (export "run") (param $n i32)
    (local $at i32) (local $end i32) (local $src i32) (local $count i32) (local $p i32) (local $cell i32)
    (local $base i32) (local $flags i32) (local $level i32) (local $bit i32) (local $blk i32)
    (local $a v128) (local $b v128) (local $h v128) (local $x0 v128) (local $x1 v128)
    (local $m0 v128) (local $m1 v128) (local $n1 v128) (local $c v128) (local $f i32)
    (local.set $at (global.get $list_base))
    (local.set $end (i32.add (global.get $list_base) (i32.shl (local.get $n) (i32.const 4))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        (if (i32.and (i32.eq (global.get $vb) (i32.const 32)) (i32.eq (i32.load offset=12 (local.get $at)) (i32.const 1)))
          (then
            (local.set $cell (i32.load (local.get $at)))
            (local.set $src (i32.load offset=4 (local.get $at)))
            (local.set $count (i32.load offset=8 (local.get $at)))
            (local.set $base (i32.add (global.get $cells_base) (i32.mul (local.get $cell) (global.get $cell_bytes))))
            (local.set $flags (i32.load (local.get $base)))
            (local.set $p (i32.const 0))
            (block $planes_done
              (loop $plane
                (br_if $planes_done (i32.ge_u (local.get $p) (local.get $count)))
                (local.set $x0 (v128.load (local.get $src)))
                (local.set $x1 (v128.load offset=16 (local.get $src)))
                (local.set $level (local.get $p))
                (block $placed
                  ;; Plane 0 through levels 0 and 1 without branching on the flags (which are as good as random
                  ;; from one cell to the next, so a branch on them mispredicts half the time): both levels'
                  ;; outcomes computed and the flags' masks select them. Level 1 takes the level-0 carry when level
                  ;; 0 had a pending input (m0): stored as pending when it had none (n1), else added (m1), whose
                  ;; carry goes on to level 2 below, a quarter of the inputs. The cell ends as the branches leave it.
                  (if (i32.eqz (local.get $p))
                    (then
                      (local.set $f (i32.and (local.get $flags) (i32.const 3)))
                      (local.set $m0 (i32x4.splat (i32.sub (i32.const 0) (i32.and (local.get $f) (i32.const 1)))))
                      (local.set $m1 (i32x4.splat (i32.sub (i32.const 0) (i32.eq (local.get $f) (i32.const 3)))))
                      (local.set $n1 (i32x4.splat (i32.sub (i32.const 0) (i32.eq (local.get $f) (i32.const 1)))))
                      ;; level 0 at base + 16 (sum) and + 48 (pending), level 1 at + 80 and + 112; vector 0 then 1
                      (local.set $a (v128.load offset=16 (local.get $base)))
                      (local.set $b (v128.load offset=48 (local.get $base)))
                      (v128.store offset=16 (local.get $base) (v128.xor (local.get $a) (v128.and (local.get $m0) (v128.xor (local.get $b) (local.get $x0)))))
                      (v128.store offset=48 (local.get $base) (v128.bitselect (local.get $b) (local.get $x0) (local.get $m0)))
                      (local.set $c (v128.or (v128.and (local.get $a) (local.get $b)) (v128.and (v128.xor (local.get $a) (local.get $b)) (local.get $x0))))
                      (local.set $a (v128.load offset=80 (local.get $base)))
                      (local.set $b (v128.load offset=112 (local.get $base)))
                      (v128.store offset=80 (local.get $base) (v128.xor (local.get $a) (v128.and (local.get $m1) (v128.xor (local.get $b) (local.get $c)))))
                      (v128.store offset=112 (local.get $base) (v128.bitselect (local.get $c) (local.get $b) (local.get $n1)))
                      (local.set $x0 (v128.or (v128.and (local.get $a) (local.get $b)) (v128.and (v128.xor (local.get $a) (local.get $b)) (local.get $c))))
                      (local.set $a (v128.load offset=32 (local.get $base)))
                      (local.set $b (v128.load offset=64 (local.get $base)))
                      (v128.store offset=32 (local.get $base) (v128.xor (local.get $a) (v128.and (local.get $m0) (v128.xor (local.get $b) (local.get $x1)))))
                      (v128.store offset=64 (local.get $base) (v128.bitselect (local.get $b) (local.get $x1) (local.get $m0)))
                      (local.set $c (v128.or (v128.and (local.get $a) (local.get $b)) (v128.and (v128.xor (local.get $a) (local.get $b)) (local.get $x1))))
                      (local.set $a (v128.load offset=96 (local.get $base)))
                      (local.set $b (v128.load offset=128 (local.get $base)))
                      (v128.store offset=96 (local.get $base) (v128.xor (local.get $a) (v128.and (local.get $m1) (v128.xor (local.get $b) (local.get $c)))))
                      (v128.store offset=128 (local.get $base) (v128.bitselect (local.get $c) (local.get $b) (local.get $n1)))
                      (local.set $x1 (v128.or (v128.and (local.get $a) (local.get $b)) (v128.and (v128.xor (local.get $a) (local.get $b)) (local.get $c))))
                      ;; Flag bits 1 and 0 count the inputs mod 4 (00, 01, 10, 11, 00); from 11 the carry goes on.
                      (local.set $flags (i32.or (i32.and (local.get $flags) (i32.const -4)) (i32.and (i32.add (local.get $f) (i32.const 1)) (i32.const 3))))
                      (br_if $placed (i32.ne (local.get $f) (i32.const 3)))
                      (local.set $level (i32.const 2))))
                  (loop $next
                    (if (i32.ge_u (local.get $level) (global.get $planes))
                      (then
                        ;; The spill reads the cell's flags from memory: store them first, reload after.
                        (i32.store (local.get $base) (local.get $flags))
                        (v128.store (global.get $carry_base) (local.get $x0))
                        (v128.store offset=16 (global.get $carry_base) (local.get $x1))
                        (call $spill (local.get $cell) (local.get $level) (global.get $carry_base))
                        (local.set $flags (i32.load (local.get $base)))
                        (br $placed)))
                    (local.set $bit (i32.shl (i32.const 1) (local.get $level)))
                    (local.set $blk (i32.add (local.get $base) (i32.add (i32.const 16) (i32.shl (local.get $level) (i32.const 6)))))
                    (if (i32.eqz (i32.and (local.get $flags) (local.get $bit)))
                      (then
                        (v128.store offset=32 (local.get $blk) (local.get $x0))
                        (v128.store offset=48 (local.get $blk) (local.get $x1))
                        (local.set $flags (i32.or (local.get $flags) (local.get $bit)))
                        (br $placed)))
                    (local.set $a (v128.load (local.get $blk)))
                    (local.set $b (v128.load offset=32 (local.get $blk)))
                    (local.set $h (v128.xor (local.get $a) (local.get $b)))
                    (v128.store (local.get $blk) (v128.xor (local.get $h) (local.get $x0)))
                    (local.set $x0 (v128.or (v128.and (local.get $a) (local.get $b)) (v128.and (local.get $h) (local.get $x0))))
                    (local.set $a (v128.load offset=16 (local.get $blk)))
                    (local.set $b (v128.load offset=48 (local.get $blk)))
                    (local.set $h (v128.xor (local.get $a) (local.get $b)))
                    (v128.store offset=16 (local.get $blk) (v128.xor (local.get $h) (local.get $x1)))
                    (local.set $x1 (v128.or (v128.and (local.get $a) (local.get $b)) (v128.and (local.get $h) (local.get $x1))))
                    (local.set $flags (i32.xor (local.get $flags) (local.get $bit)))
                    (local.set $level (i32.add (local.get $level) (i32.const 1)))
                    (br $next)))
                (local.set $src (i32.add (local.get $src) (i32.const 32)))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $plane)))
            (i32.store (local.get $base) (local.get $flags)))
          (else
            (call $add (i32.load (local.get $at)) (i32.load offset=4 (local.get $at)) (i32.load offset=8 (local.get $at)) (i32.load offset=12 (local.get $at)))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $each))))

  ;; Adds the plane `x` at `level` into the binary number in the read scratch (a vector per plane, as in `read`).
  (func $ripple (param $x v128) (param $level i32)
    (local $at i32) (local $y v128)
    (local.set $at (i32.add (global.get $read_scratch) (i32.shl (local.get $level) (i32.const 4))))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (v128.any_true (local.get $x))))
        (local.set $y (v128.load (local.get $at)))
        (v128.store (local.get $at) (v128.xor (local.get $y) (local.get $x)))
        (local.set $x (v128.and (local.get $y) (local.get $x)))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $next))))

  ;; Writes a cell's count per replicate (its levels' sum and pending planes added; not its floats) as i32 at
  ;; `read_base`, replicate r at 4 r. Per vector of 128 replicates, the levels are added into one binary number in
  ;; 32 planes (a vector each), whose four 32 x 32 bit matrices (one per i32 lane) are transposed at once: lane j of
  ;; plane b is then replicate 32 j + b's count (slicedRead.ts does the same a word at a time).
  (func (export "read") (param $cell i32)
    (local $base i32) (local $flags i32) (local $v i32) (local $k i32) (local $blk i32)
    (local $j i32) (local $m v128) (local $a i32) (local $x v128) (local $out i32) (local $b i32)
    (local.set $base (i32.add (global.get $cells_base) (i32.mul (local.get $cell) (global.get $cell_bytes))))
    (local.set $flags (i32.load (local.get $base)))
    (local.set $v (i32.const 0))
    (loop $vectors
      (memory.fill (global.get $read_scratch) (i32.const 0) (i32.const 512))
      (local.set $k (i32.const 0))
      (loop $levels
        (local.set $blk (i32.add (i32.add (local.get $base) (global.get $header_bytes))
          (i32.add (i32.mul (local.get $k) (i32.shl (global.get $vb) (i32.const 1))) (local.get $v))))
        (call $ripple (v128.load (local.get $blk)) (local.get $k))
        (if (i32.and (i32.shr_u (local.get $flags) (local.get $k)) (i32.const 1))
          (then (call $ripple (v128.load (i32.add (local.get $blk) (global.get $vb))) (local.get $k))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br_if $levels (i32.lt_u (local.get $k) (global.get $planes))))
      ;; The transpose: 2^s x 2^s block swaps for s = 4 .. 0 (planes k and k + j, j = 2^s).
      (local.set $j (i32.const 16))
      (local.set $m (i32x4.splat (i32.const 0x0000ffff)))
      (loop $halves
        (local.set $k (i32.const 0))
        (loop $pairs
          (local.set $a (i32.add (global.get $read_scratch) (i32.shl (local.get $k) (i32.const 4))))
          (local.set $blk (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 4))))
          (local.set $x (v128.and (v128.xor (i32x4.shr_u (v128.load (local.get $a)) (local.get $j)) (v128.load (local.get $blk))) (local.get $m)))
          (v128.store (local.get $a) (v128.xor (v128.load (local.get $a)) (i32x4.shl (local.get $x) (local.get $j))))
          (v128.store (local.get $blk) (v128.xor (v128.load (local.get $blk)) (local.get $x)))
          (local.set $k (i32.and (i32.add (local.get $k) (i32.add (local.get $j) (i32.const 1))) (i32.xor (local.get $j) (i32.const -1))))
          (br_if $pairs (i32.lt_u (local.get $k) (i32.const 32))))
        (local.set $j (i32.shr_u (local.get $j) (i32.const 1)))
        (local.set $m (v128.xor (local.get $m) (i32x4.shl (local.get $m) (local.get $j))))
        (br_if $halves (local.get $j)))
      ;; Lane j of plane b to replicate 32 j + b of this vector.
      (local.set $out (i32.add (global.get $read_base) (i32.shl (local.get $v) (i32.const 5))))
      (local.set $b (i32.const 0))
      (loop $rows
        (local.set $x (v128.load (i32.add (global.get $read_scratch) (i32.shl (local.get $b) (i32.const 4)))))
        (local.set $a (i32.add (local.get $out) (i32.shl (local.get $b) (i32.const 2))))
        (i32.store (local.get $a) (i32x4.extract_lane 0 (local.get $x)))
        (i32.store offset=128 (local.get $a) (i32x4.extract_lane 1 (local.get $x)))
        (i32.store offset=256 (local.get $a) (i32x4.extract_lane 2 (local.get $x)))
        (i32.store offset=384 (local.get $a) (i32x4.extract_lane 3 (local.get $x)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br_if $rows (i32.lt_u (local.get $b) (i32.const 32))))
      (local.set $v (i32.add (local.get $v) (i32.const 16)))
      (br_if $vectors (i32.lt_u (local.get $v) (global.get $vb)))))
)
