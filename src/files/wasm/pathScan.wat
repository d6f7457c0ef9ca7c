;; touchpoint's path-file scanner: reads plain lines of an aggregated-path CSV straight from UTF-8 bytes.
;;
;; The JS reader (src/files/pathLane.ts) keeps the file's bytes from the start of the line being read at IN and
;; calls `scan`, which consumes whole lines and writes one record per path line to OUT: [n i32, pad, conversions
;; f64, value f64, nulls f64, n channel ids i32, padded to 8 bytes]. It stops at the first line it does not read
;; (status 1: a quote, the wrong number of fields, a number that is not a plain decimal, a value without
;; conversions, an empty or unknown token, a path too long for OUT), when OUT is full (status 2), or at the
;; incomplete line at the end of the bytes (status 0), returning that line's address.
;;
;; A status-1 line goes to `line`, which reads one line of any length where it lies and writes its record wherever
;; the JS side asks (past the input). A token it has not seen is added to the table with channel -1 - k (k: its
;; number in the table); when the line is read, the JS side decodes each such token from the pool (`token_bytes`,
;; `token_length`), names it as the decoders would (trimmed; all spaces makes the line the decoders'), registers
;; the names in path order, `name`s the tokens and `resolve`s the record; when it is not, it `forget`s them. So a
;; bad line registers nothing, and the channels and their order are the decoders'. A line `line` declines is
;; decoded and read by the general route (src/attribution/read/), after which the JS side `learn`s its tokens (the
;; raw bytes between separators, spaces and all) with the channels that route gave their trimmed names.
;;
;; For JSON lines (src/files/jsonLane.ts), `string_end` finds where a long record's path string ends in its bytes
;; and `path` tokenizes that string's content alone, as `line` tokenizes a path cell (new tokens named the same way).
;;
;; Memory: SEP 0 (separator bytes), FS 64 / FE 192 (field bounds, 32 fields), SLOTS 1024 (4096 x i32: token index
;; + 1), TOKENS 17408 (2048 x 32 bytes: pool offset, length, channel, hash, first and last eight bytes), POOL 131072
;; (64 KiB of token bytes), OUT 196608..458752, IN 458752.. (the JS side grows memory to fit its bytes and a long
;; line's record). The JS side reads where SEP, OUT and IN start and how many fields a line may have from the
;; exported globals below, and a new token's bytes through `token_bytes`, never from a copy of these numbers.
(module
  (memory (export "memory") 8)
  (global $SEP_BASE (export "sep_base") i32 (i32.const 0))
  (global $OUT_BASE (export "out_base") i32 (i32.const 196608))
  (global $IN_BASE (export "in_base") i32 (i32.const 458752))
  (global $MAX_FIELDS (export "max_fields") i32 (i32.const 32))
  (global $width (mut i32) (i32.const 0))
  (global $pathAt (mut i32) (i32.const 0))
  (global $convAt (mut i32) (i32.const 0))
  (global $valueAt (mut i32) (i32.const -1))
  (global $nullsAt (mut i32) (i32.const -1))
  (global $delim (mut i32) (i32.const 44))
  (global $sep0 (mut i32) (i32.const 62))
  (global $sepLen (mut i32) (i32.const 1))
  (global $tokens (export "tokens") (mut i32) (i32.const 0))
  (global $poolUsed (mut i32) (i32.const 0))
  (global $status (export "status") (mut i32) (i32.const 0))
  (global $lines (export "lines") (mut i32) (i32.const 0))
  (global $records (export "records") (mut i32) (i32.const 0))
  ;; Where $tokens is in the path it reads: the next token's start, the path's end, the ids' address, ids so far.
  (global $ti (mut i32) (i32.const 0))
  (global $tpe (mut i32) (i32.const 0))
  (global $tids (mut i32) (i32.const 0))
  (global $tn (mut i32) (i32.const 0))
  ;; The first and last eight bytes of the token `key` last looked at.
  (global $ka (mut i64) (i64.const 0))
  (global $kb (mut i64) (i64.const 0))

  ;; The file's layout; the separator's bytes are at SEP already. Forgets every token.
  (func (export "configure") (param $width i32) (param $pathAt i32) (param $convAt i32) (param $valueAt i32)
    (param $nullsAt i32) (param $delim i32) (param $sepLen i32)
    (global.set $width (local.get $width))
    (global.set $pathAt (local.get $pathAt))
    (global.set $convAt (local.get $convAt))
    (global.set $valueAt (local.get $valueAt))
    (global.set $nullsAt (local.get $nullsAt))
    (global.set $delim (local.get $delim))
    (global.set $sepLen (local.get $sepLen))
    (global.set $sep0 (i32.load8_u (global.get $SEP_BASE)))
    (global.set $tokens (i32.const 0))
    (global.set $poolUsed (i32.const 0))
    (memory.fill (i32.const 1024) (i32.const 0) (i32.const 16384)))

  ;; A token's key: its first and last eight bytes (a token shorter than eight: its bytes, the rest masked off) in
  ;; $ka and $kb, and a hash of them and the length. Two loads rather than a step per byte; together with the
  ;; length, the two words are the whole token when it has at most 16 bytes. Reads up to 8 bytes past the token:
  ;; the JS side leaves 16 bytes of slack after the input.
  (func $key (param $ptr i32) (param $len i32) (result i32)
    (local $x i64)
    (if (i32.ge_u (local.get $len) (i32.const 8))
      (then
        (global.set $ka (i64.load (local.get $ptr)))
        (global.set $kb (i64.load (i32.sub (i32.add (local.get $ptr) (local.get $len)) (i32.const 8)))))
      (else
        (global.set $ka (i64.and (i64.load (local.get $ptr))
          (i64.sub (i64.shl (i64.const 1) (i64.extend_i32_u (i32.shl (local.get $len) (i32.const 3)))) (i64.const 1))))
        (global.set $kb (i64.const 0))))
    (local.set $x (i64.xor
      (i64.mul (global.get $ka) (i64.const 0x9E3779B97F4A7C15))
      (i64.add (i64.mul (global.get $kb) (i64.const 0xC2B2AE3D27D4EB4F)) (i64.extend_i32_u (local.get $len)))))
    (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 29))))
    (local.set $x (i64.mul (local.get $x) (i64.const 0xBF58476D1CE4E5B9)))
    (i32.wrap_i64 (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 32)))))

  ;; Whether bytes [a, a + len) equal bytes [b, b + len): eight at a time, then one at a time.
  (func $equal (param $a i32) (param $b i32) (param $len i32) (result i32)
    (block $bytes
      (loop $words
        (br_if $bytes (i32.lt_u (local.get $len) (i32.const 8)))
        (if (i64.ne (i64.load (local.get $a)) (i64.load (local.get $b))) (then (return (i32.const 0))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (local.set $b (i32.add (local.get $b) (i32.const 8)))
        (local.set $len (i32.sub (local.get $len) (i32.const 8)))
        (br $words)))
    (block $done
      (loop $byte
        (br_if $done (i32.eqz (local.get $len)))
        (if (i32.ne (i32.load8_u (local.get $a)) (i32.load8_u (local.get $b))) (then (return (i32.const 0))))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (local.set $len (i32.sub (local.get $len) (i32.const 1)))
        (br $byte)))
    (i32.const 1))

  ;; The record of the token [ptr, ptr + len), whose `key` was just taken (hash h), or 0 when it is not known.
  (func $find (param $ptr i32) (param $len i32) (param $h i32) (result i32)
    (local $i i32) (local $slot i32) (local $rec i32)
    (local.set $i (i32.and (local.get $h) (i32.const 4095)))
    (loop $probe
      (local.set $slot (i32.load (i32.add (i32.const 1024) (i32.shl (local.get $i) (i32.const 2)))))
      (if (i32.eqz (local.get $slot)) (then (return (i32.const 0))))
      (local.set $rec (i32.add (i32.const 17408) (i32.shl (i32.sub (local.get $slot) (i32.const 1)) (i32.const 5))))
      (if (i32.and
            (i32.and
              (i32.eq (i32.load offset=12 (local.get $rec)) (local.get $h))
              (i32.eq (i32.load offset=4 (local.get $rec)) (local.get $len)))
            (i32.and
              (i64.eq (i64.load offset=16 (local.get $rec)) (global.get $ka))
              (i64.eq (i64.load offset=24 (local.get $rec)) (global.get $kb))))
        (then
          ;; Beyond 16 bytes, the middle is compared too (not before: `i32.or` would call $equal with a negative
          ;; length, which runs on through memory while the bytes agree).
          (if (i32.le_u (local.get $len) (i32.const 16)) (then (return (local.get $rec))))
          (if (call $equal (i32.add (i32.const 131080) (i32.load (local.get $rec))) (i32.add (local.get $ptr) (i32.const 8)) (i32.sub (local.get $len) (i32.const 16)))
            (then (return (local.get $rec))))))
      (local.set $i (i32.and (i32.add (local.get $i) (i32.const 1)) (i32.const 4095)))
      (br $probe))
    (i32.const 0))

  ;; Adds the token [ptr, ptr + len), whose `key` was just taken (hash h) and which is not in the table, as
  ;; `channel`; returns its record, or 0 when the table or the pool is full.
  (func $insert (param $ptr i32) (param $len i32) (param $h i32) (param $channel i32) (result i32)
    (local $rec i32) (local $i i32)
    (if (i32.or
          (i32.ge_u (global.get $tokens) (i32.const 2048))
          (i32.gt_u (i32.add (global.get $poolUsed) (local.get $len)) (i32.const 65536)))
      (then (return (i32.const 0))))
    (memory.copy (i32.add (i32.const 131072) (global.get $poolUsed)) (local.get $ptr) (local.get $len))
    (local.set $rec (i32.add (i32.const 17408) (i32.shl (global.get $tokens) (i32.const 5))))
    (i32.store (local.get $rec) (global.get $poolUsed))
    (i32.store offset=4 (local.get $rec) (local.get $len))
    (i32.store offset=8 (local.get $rec) (local.get $channel))
    (i32.store offset=12 (local.get $rec) (local.get $h))
    (i64.store offset=16 (local.get $rec) (global.get $ka))
    (i64.store offset=24 (local.get $rec) (global.get $kb))
    (global.set $poolUsed (i32.add (global.get $poolUsed) (local.get $len)))
    (global.set $tokens (i32.add (global.get $tokens) (i32.const 1)))
    (local.set $i (i32.and (local.get $h) (i32.const 4095)))
    (block $placed
      (loop $probe
        (br_if $placed (i32.eqz (i32.load (i32.add (i32.const 1024) (i32.shl (local.get $i) (i32.const 2))))))
        (local.set $i (i32.and (i32.add (local.get $i) (i32.const 1)) (i32.const 4095)))
        (br $probe)))
    (i32.store (i32.add (i32.const 1024) (i32.shl (local.get $i) (i32.const 2))) (global.get $tokens))
    (local.get $rec))

  ;; Remembers the token [ptr, ptr + len) as `channel`. 0 when the table or the pool is full (its lines then keep
  ;; going to the decoders).
  (func (export "learn") (param $ptr i32) (param $len i32) (param $channel i32) (result i32)
    (local $h i32)
    (local.set $h (call $key (local.get $ptr) (local.get $len)))
    (if (call $find (local.get $ptr) (local.get $len) (local.get $h)) (then (return (i32.const 1))))
    (i32.ne (call $insert (local.get $ptr) (local.get $len) (local.get $h) (local.get $channel)) (i32.const 0)))

  ;; Token k's bytes (its address in the pool) and length: the JS side names a token `line` added.
  (func (export "token_bytes") (param $k i32) (result i32)
    (i32.add (i32.const 131072) (i32.load (i32.add (i32.const 17408) (i32.shl (local.get $k) (i32.const 5))))))
  (func (export "token_length") (param $k i32) (result i32)
    (i32.load offset=4 (i32.add (i32.const 17408) (i32.shl (local.get $k) (i32.const 5)))))

  ;; Gives token k (added by `line`, channel -1 - k until now) its channel.
  (func (export "name") (param $k i32) (param $channel i32)
    (i32.store offset=8 (i32.add (i32.const 17408) (i32.shl (local.get $k) (i32.const 5))) (local.get $channel)))

  ;; Forgets the tokens from the k-th on (the ones `line` added for a line the decoders read after all). Only
  ;; the newest tokens go, so the probe runs of the older ones are whole.
  (func (export "forget") (param $k i32)
    (local $i i32) (local $slot i32)
    (if (i32.ge_u (local.get $k) (global.get $tokens)) (then (return)))
    (global.set $poolUsed (i32.load (i32.add (i32.const 17408) (i32.shl (local.get $k) (i32.const 5)))))
    (global.set $tokens (local.get $k))
    (block $done
      (loop $slots
        (br_if $done (i32.ge_u (local.get $i) (i32.const 4096)))
        (local.set $slot (i32.add (i32.const 1024) (i32.shl (local.get $i) (i32.const 2))))
        (if (i32.gt_u (i32.load (local.get $slot)) (local.get $k)) (then (i32.store (local.get $slot) (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $slots))))

  ;; The record at `out` with its new tokens' channels (given by `name`) in place of their -1 - k.
  (func (export "resolve") (param $out i32)
    (local $p i32) (local $e i32) (local $ch i32)
    (local.set $p (i32.add (local.get $out) (i32.const 32)))
    (local.set $e (i32.add (local.get $p) (i32.shl (i32.load (local.get $out)) (i32.const 2))))
    (block $done
      (loop $ids
        (br_if $done (i32.ge_u (local.get $p) (local.get $e)))
        (local.set $ch (i32.load (local.get $p)))
        (if (i32.lt_s (local.get $ch) (i32.const 0))
          (then (i32.store (local.get $p)
            (i32.load offset=8 (i32.add (i32.const 17408) (i32.shl (i32.sub (i32.const -1) (local.get $ch)) (i32.const 5)))))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $ids))))

  ;; The cell [s, e) as a number when it is digits with at most one '.' and at most 15 digits in at most 16
  ;; bytes, else -1: the decoders' plain-decimal rule, giving the same double (an exact integer divided once by an
  ;; exact power of ten).
  (func $decimal (param $s i32) (param $e i32) (result f64)
    (local $x f64) (local $digits i32) (local $point i32) (local $c i32) (local $i i32) (local $p f64) (local $k i32)
    (if (i32.or (i32.eq (local.get $s) (local.get $e)) (i32.gt_u (i32.sub (local.get $e) (local.get $s)) (i32.const 16)))
      (then (return (f64.const -1))))
    (local.set $point (i32.const -1))
    (local.set $i (local.get $s))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $e)))
        (local.set $c (i32.load8_u (local.get $i)))
        (if (i32.lt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 10))
          (then
            (local.set $x (f64.add (f64.mul (local.get $x) (f64.const 10)) (f64.convert_i32_u (i32.sub (local.get $c) (i32.const 48)))))
            (local.set $digits (i32.add (local.get $digits) (i32.const 1))))
          (else
            (if (i32.and (i32.eq (local.get $c) (i32.const 46)) (i32.lt_s (local.get $point) (i32.const 0)))
              (then (local.set $point (local.get $i)))
              (else (return (f64.const -1))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (if (i32.or (i32.eqz (local.get $digits)) (i32.gt_u (local.get $digits) (i32.const 15))) (then (return (f64.const -1))))
    (if (i32.lt_s (local.get $point) (i32.const 0)) (then (return (local.get $x))))
    ;; 10^k by repeated multiplication: exact for k <= 15.
    (local.set $k (i32.sub (i32.sub (local.get $e) (i32.const 1)) (local.get $point)))
    (local.set $p (f64.const 1))
    (block $pow
      (loop $mul
        (br_if $pow (i32.eqz (local.get $k)))
        (local.set $p (f64.mul (local.get $p) (f64.const 10)))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (br $mul)))
    (f64.div (local.get $x) (local.get $p)))

  ;; An optional amount: empty or ASCII blanks (space, tab to CR) is 0, else `decimal`.
  (func $optional (param $s i32) (param $e i32) (result f64)
    (local $i i32) (local $c i32)
    (local.set $i (local.get $s))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $e)))
        (local.set $c (i32.load8_u (local.get $i)))
        (br_if $done (i32.eqz (i32.or (i32.eq (local.get $c) (i32.const 32)) (i32.lt_u (i32.sub (local.get $c) (i32.const 9)) (i32.const 5)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (if (result f64) (i32.eq (local.get $i) (local.get $e)) (then (f64.const 0)) (else (call $decimal (local.get $s) (local.get $e)))))

  ;; The path's tokens from $ti (the start of a token) up to $tpe, their channels stored from $tids + 4 $tn: 1 when
  ;; the path is done, 2 after 4096 tokens (the caller calls again), 0 when the decoders must read the line (an
  ;; empty token; a token not known and `fresh` 0; a table too full for a new one). A long path is many calls, so
  ;; the engine's optimized code takes over after the first few: a call keeps the (baseline) code it began in.
  (func $tokens (param $fresh i32) (result i32)
    (local $i i32) (local $ts i32) (local $n i32) (local $pe i32) (local $ids i32) (local $stop i32)
    (local $m i32) (local $rec i32) (local $h i32) (local $spv v128)
    (local.set $spv (i8x16.splat (global.get $sep0)))
    (local.set $i (global.get $ti))
    (local.set $ts (local.get $i))
    (local.set $n (global.get $tn))
    (local.set $pe (global.get $tpe))
    (local.set $ids (global.get $tids))
    (local.set $stop (i32.add (local.get $n) (i32.const 4096)))
    (loop $tok
      (if (i32.ge_u (local.get $n) (local.get $stop))
        (then
          (global.set $ti (local.get $ts))
          (global.set $tn (local.get $n))
          (return (i32.const 2))))
      ;; The next separator at or after i, or pe.
      (block $cut
        (loop $seek
          (block $narrow
            (loop $wide
              (br_if $narrow (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $pe)))
              (local.set $m (i8x16.bitmask (i8x16.eq (v128.load (local.get $i)) (local.get $spv))))
              (if (local.get $m)
                (then
                  (local.set $i (i32.add (local.get $i) (i32.ctz (local.get $m))))
                  (br $narrow)))
              (local.set $i (i32.add (local.get $i) (i32.const 16)))
              (br $wide)))
          (br_if $cut (i32.ge_u (local.get $i) (local.get $pe)))
          (if (i32.eq (i32.load8_u (local.get $i)) (global.get $sep0))
            (then
              (br_if $cut (i32.eq (global.get $sepLen) (i32.const 1)))
              (br_if $cut (i32.and
                (i32.le_u (i32.add (local.get $i) (global.get $sepLen)) (local.get $pe))
                (call $equal (local.get $i) (global.get $SEP_BASE) (global.get $sepLen))))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $seek)))
      (if (i32.gt_u (local.get $i) (local.get $pe)) (then (local.set $i (local.get $pe))))
      ;; A token ends at i.
      (if (i32.eq (local.get $i) (local.get $ts)) (then (return (i32.const 0))))
      (local.set $h (call $key (local.get $ts) (i32.sub (local.get $i) (local.get $ts))))
      (local.set $rec (call $find (local.get $ts) (i32.sub (local.get $i) (local.get $ts)) (local.get $h)))
      (if (i32.eqz (local.get $rec))
        (then
          (if (i32.eqz (local.get $fresh)) (then (return (i32.const 0))))
          (local.set $rec (call $insert (local.get $ts) (i32.sub (local.get $i) (local.get $ts)) (local.get $h) (i32.sub (i32.const -1) (global.get $tokens))))
          (if (i32.eqz (local.get $rec)) (then (return (i32.const 0))))))
      (i32.store (i32.add (local.get $ids) (i32.shl (local.get $n) (i32.const 2))) (i32.load offset=8 (local.get $rec)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (if (i32.ge_u (local.get $i) (local.get $pe))
        (then
          (global.set $tn (local.get $n))
          (return (i32.const 1))))
      (local.set $i (i32.add (local.get $i) (global.get $sepLen)))
      (local.set $ts (local.get $i))
      (br $tok))
    (i32.const 0))

  ;; The first delimiter or quote in [i, le), or le; looks at 64 KiB at most (then returns where it stopped), so
  ;; a long line is many calls (see $tokens).
  (func $cells (param $i i32) (param $le i32) (result i32)
    (local $m i32) (local $v v128) (local $dlv v128) (local $qtv v128) (local $b i32)
    (local.set $dlv (i8x16.splat (global.get $delim)))
    (local.set $qtv (i8x16.splat (i32.const 34)))
    (if (i32.gt_u (local.get $le) (i32.add (local.get $i) (i32.const 65536))) (then (local.set $le (i32.add (local.get $i) (i32.const 65536)))))
    (block $found
      (loop $wide
        (br_if $found (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $le)))
        (local.set $v (v128.load (local.get $i)))
        (local.set $m (i8x16.bitmask (v128.or (i8x16.eq (local.get $v) (local.get $dlv)) (i8x16.eq (local.get $v) (local.get $qtv)))))
        (if (local.get $m) (then (return (i32.add (local.get $i) (i32.ctz (local.get $m))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $wide)))
    (loop $narrow
      (if (i32.ge_u (local.get $i) (local.get $le)) (then (return (local.get $le))))
      (local.set $b (i32.load8_u (local.get $i)))
      (if (i32.or (i32.eq (local.get $b) (i32.const 34)) (i32.eq (local.get $b) (global.get $delim))) (then (return (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $narrow))
    (local.get $i))

  ;; The record of the line whose field bounds are at FS/FE (as many fields as the header has), written at `out`:
  ;; 1, or 0 when the decoders must read the line (a number that is not a plain decimal, a value without
  ;; conversions, an empty token, a token not known and `fresh` 0, a table too full for a new one). With `fresh`
  ;; 1, a token not known is added with channel -1 - k (k: its number; the JS side names it, or forgets it).
  (func $fill (param $out i32) (param $fresh i32) (result i32)
    (local $conv f64) (local $value f64) (local $nulls f64) (local $m i32) (local $n i32)
    (local.set $conv (call $decimal
      (i32.load (i32.add (i32.const 64) (i32.shl (global.get $convAt) (i32.const 2))))
      (i32.load (i32.add (i32.const 192) (i32.shl (global.get $convAt) (i32.const 2))))))
    (if (f64.lt (local.get $conv) (f64.const 0)) (then (return (i32.const 0))))
    (local.set $value (f64.const 0))
    (if (i32.ge_s (global.get $valueAt) (i32.const 0))
      (then
        (local.set $value (call $optional
          (i32.load (i32.add (i32.const 64) (i32.shl (global.get $valueAt) (i32.const 2))))
          (i32.load (i32.add (i32.const 192) (i32.shl (global.get $valueAt) (i32.const 2))))))
        (if (f64.lt (local.get $value) (f64.const 0)) (then (return (i32.const 0))))))
    ;; A value with no conversions is a bad line: the general route words the error.
    (if (i32.and (f64.eq (local.get $conv) (f64.const 0)) (f64.gt (local.get $value) (f64.const 0)))
      (then (return (i32.const 0))))
    (local.set $nulls (f64.const 0))
    (if (i32.ge_s (global.get $nullsAt) (i32.const 0))
      (then
        (local.set $nulls (call $optional
          (i32.load (i32.add (i32.const 64) (i32.shl (global.get $nullsAt) (i32.const 2))))
          (i32.load (i32.add (i32.const 192) (i32.shl (global.get $nullsAt) (i32.const 2))))))
        (if (f64.lt (local.get $nulls) (f64.const 0)) (then (return (i32.const 0))))))
    ;; Tokens between separators, each looked up whole: a few thousand per call of $tokens.
    (global.set $ti (i32.load (i32.add (i32.const 64) (i32.shl (global.get $pathAt) (i32.const 2)))))
    (global.set $tpe (i32.load (i32.add (i32.const 192) (i32.shl (global.get $pathAt) (i32.const 2)))))
    (global.set $tids (i32.add (local.get $out) (i32.const 32)))
    (global.set $tn (i32.const 0))
    (block $done
      (loop $more
        (local.set $m (call $tokens (local.get $fresh)))
        (if (i32.eqz (local.get $m)) (then (return (i32.const 0))))
        (br_if $more (i32.eq (local.get $m) (i32.const 2)))))
    (local.set $n (global.get $tn))
    (i32.store (local.get $out) (local.get $n))
    (f64.store offset=8 (local.get $out) (local.get $conv))
    (f64.store offset=16 (local.get $out) (local.get $value))
    (f64.store offset=24 (local.get $out) (local.get $nulls))
    (i32.const 1))

  ;; One line [ls, le) (no line break in it, nor the carriage return before one) of any length, its record
  ;; written at `out` (room for a token per byte after the first: the JS side's to give): 1, or 0 when the
  ;; decoders must read it (a quote, the wrong number of fields, or as `fill` says). Tokens not known are added
  ;; with channels -1 - k for the JS side to `name` and `resolve`, or to `forget` when it reads the line
  ;; otherwise.
  (func (export "line") (param $ls i32) (param $le i32) (param $out i32) (result i32)
    (local $i i32) (local $f i32) (local $b i32)
    (if (i32.eq (local.get $ls) (local.get $le)) (then (return (i32.const 0))))
    (i32.store (i32.const 64) (local.get $ls))
    (local.set $i (local.get $ls))
    (block $eol
      (loop $byte
        (local.set $i (call $cells (local.get $i) (local.get $le)))
        (br_if $eol (i32.ge_u (local.get $i) (local.get $le)))
        (local.set $b (i32.load8_u (local.get $i)))
        (if (i32.eq (local.get $b) (i32.const 34)) (then (return (i32.const 0))))
        (if (i32.eq (local.get $b) (global.get $delim))
          (then
            (if (i32.lt_u (local.get $f) (i32.sub (global.get $MAX_FIELDS) (i32.const 1)))
              (then
                (i32.store (i32.add (i32.const 192) (i32.shl (local.get $f) (i32.const 2))) (local.get $i))
                (i32.store (i32.add (i32.const 68) (i32.shl (local.get $f) (i32.const 2))) (i32.add (local.get $i) (i32.const 1)))))
            (local.set $f (i32.add (local.get $f) (i32.const 1)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))))
        (br $byte)))
    (if (i32.ne (local.get $f) (i32.sub (global.get $width) (i32.const 1))) (then (return (i32.const 0))))
    (i32.store (i32.add (i32.const 192) (i32.shl (local.get $f) (i32.const 2))) (local.get $le))
    (call $fill (local.get $out) (i32.const 1)))

  ;; JSON lines (src/files/jsonLane.ts): the JS side finds a long record's path string in the bytes at IN; its
  ;; content runs from the opening quote to `string_end`, and `path` tokenizes it as `line` tokenizes a path cell.

  ;; The first byte in [i, e) that is a quote, a backslash or a control character (below 0x20), or e: where a JSON
  ;; string's plain content ends. 16 bytes at a time.
  (func (export "string_end") (param $i i32) (param $e i32) (result i32)
    (local $m i32) (local $v v128) (local $b i32)
    (block $narrow
      (loop $wide
        (br_if $narrow (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $e)))
        (local.set $v (v128.load (local.get $i)))
        (local.set $m (i8x16.bitmask (v128.or (v128.or
          (i8x16.eq (local.get $v) (i8x16.splat (i32.const 34)))
          (i8x16.eq (local.get $v) (i8x16.splat (i32.const 92))))
          (i8x16.lt_u (local.get $v) (i8x16.splat (i32.const 32))))))
        (if (local.get $m) (then (return (i32.add (local.get $i) (i32.ctz (local.get $m))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $wide)))
    (loop $byte
      (if (i32.ge_u (local.get $i) (local.get $e)) (then (return (local.get $e))))
      (local.set $b (i32.load8_u (local.get $i)))
      (if (i32.or (i32.or (i32.eq (local.get $b) (i32.const 34)) (i32.eq (local.get $b) (i32.const 92))) (i32.lt_u (local.get $b) (i32.const 32)))
        (then (return (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $byte))
    (local.get $i))

  ;; The path [ps, pe) alone (no amounts: the JS side has them), its record written at `out` as `line` writes one
  ;; (amounts 0; room for a token per byte after the first is the JS side's to give): 1, or 0 when the decoders
  ;; must read it (an empty path or token, a table too full for a new one). New tokens as in `line`.
  (func (export "path") (param $ps i32) (param $pe i32) (param $out i32) (result i32)
    (local $m i32)
    (if (i32.eq (local.get $ps) (local.get $pe)) (then (return (i32.const 0))))
    (global.set $ti (local.get $ps))
    (global.set $tpe (local.get $pe))
    (global.set $tids (i32.add (local.get $out) (i32.const 32)))
    (global.set $tn (i32.const 0))
    (block $done
      (loop $more
        (local.set $m (call $tokens (i32.const 1)))
        (if (i32.eqz (local.get $m)) (then (return (i32.const 0))))
        (br_if $more (i32.eq (local.get $m) (i32.const 2)))))
    (i32.store (local.get $out) (global.get $tn))
    (f64.store offset=8 (local.get $out) (f64.const 0))
    (f64.store offset=16 (local.get $out) (f64.const 0))
    (f64.store offset=24 (local.get $out) (f64.const 0))
    (i32.const 1))

  ;; Reads whole lines from `pos` up to `end` (see the top of this file); returns where it stopped. Bytes are
  ;; examined 16 at a time (SIMD) for line breaks, delimiters and quotes, then for separators.
  (func (export "scan") (param $pos i32) (param $end i32) (result i32)
    (local $ls i32) (local $i i32) (local $b i32) (local $f i32) (local $nl i32) (local $le i32) (local $m i32)
    (local $out i32) (local $ps i32) (local $pe i32) (local $v v128) (local $nlv v128) (local $dlv v128) (local $qtv v128)
    (local.set $nlv (i8x16.splat (i32.const 10)))
    (local.set $dlv (i8x16.splat (global.get $delim)))
    (local.set $qtv (i8x16.splat (i32.const 34)))
    (global.set $records (i32.const 0))
    (global.set $lines (i32.const 0))
    (local.set $out (global.get $OUT_BASE))
    (loop $line
      (local.set $ls (local.get $pos))
      ;; Fields and the line's end, in one pass; a quote anywhere sends the line to the decoders.
      (local.set $f (i32.const 0))
      (i32.store (i32.const 64) (local.get $ls))
      (local.set $i (local.get $ls))
      (block $eol
        (loop $byte
          ;; Skip 16 bytes at a time while none of them is a line break, a delimiter or a quote.
          (block $found
            (loop $wide
              (br_if $found (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $end)))
              (local.set $v (v128.load (local.get $i)))
              (local.set $m (i8x16.bitmask (v128.or (v128.or (i8x16.eq (local.get $v) (local.get $nlv)) (i8x16.eq (local.get $v) (local.get $dlv))) (i8x16.eq (local.get $v) (local.get $qtv)))))
              (if (local.get $m)
                (then
                  (local.set $i (i32.add (local.get $i) (i32.ctz (local.get $m))))
                  (br $found)))
              (local.set $i (i32.add (local.get $i) (i32.const 16)))
              (br $wide)))
          (if (i32.ge_u (local.get $i) (local.get $end))
            (then (global.set $status (i32.const 0)) (return (local.get $ls))))
          (local.set $b (i32.load8_u (local.get $i)))
          (br_if $eol (i32.eq (local.get $b) (i32.const 10)))
          (if (i32.eq (local.get $b) (global.get $delim))
            (then
              (if (i32.lt_u (local.get $f) (i32.sub (global.get $MAX_FIELDS) (i32.const 1)))
                (then
                  (i32.store (i32.add (i32.const 192) (i32.shl (local.get $f) (i32.const 2))) (local.get $i))
                  (i32.store (i32.add (i32.const 68) (i32.shl (local.get $f) (i32.const 2))) (i32.add (local.get $i) (i32.const 1)))))
              (local.set $f (i32.add (local.get $f) (i32.const 1))))
            (else
              (if (i32.eq (local.get $b) (i32.const 34))
                (then
                  ;; The line's end is still needed only to know it is complete: the decoders read it either way.
                  (global.set $status (i32.const 1))
                  (return (local.get $ls))))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $byte)))
      (local.set $nl (local.get $i))
      (local.set $le (local.get $nl))
      (if (i32.and (i32.gt_u (local.get $le) (local.get $ls)) (i32.eq (i32.load8_u (i32.sub (local.get $le) (i32.const 1))) (i32.const 13)))
        (then (local.set $le (i32.sub (local.get $le) (i32.const 1)))))
      (block $consumed
        ;; A blank line: no record (the decoders skip it too).
        (br_if $consumed (i32.eq (local.get $le) (local.get $ls)))
        (if (i32.ne (local.get $f) (i32.sub (global.get $width) (i32.const 1)))
          (then (global.set $status (i32.const 1)) (return (local.get $ls))))
        (i32.store (i32.add (i32.const 192) (i32.shl (local.get $f) (i32.const 2))) (local.get $le))
        (local.set $ps (i32.load (i32.add (i32.const 64) (i32.shl (global.get $pathAt) (i32.const 2)))))
        (local.set $pe (i32.load (i32.add (i32.const 192) (i32.shl (global.get $pathAt) (i32.const 2)))))
        ;; Room for the record at its largest (a token per byte); a line too long for an empty OUT is `line`'s.
        (if (i32.gt_u (i32.add (i32.add (local.get $out) (i32.const 48)) (i32.shl (i32.sub (local.get $pe) (local.get $ps)) (i32.const 2))) (global.get $IN_BASE))
          (then
            (global.set $status (select (i32.const 1) (i32.const 2) (i32.eq (local.get $out) (global.get $OUT_BASE))))
            (return (local.get $ls))))
        (if (i32.eqz (call $fill (local.get $out) (i32.const 0))) (then (global.set $status (i32.const 1)) (return (local.get $ls))))
        (local.set $out (i32.and (i32.add (i32.add (local.get $out) (i32.const 32)) (i32.add (i32.shl (i32.load (local.get $out)) (i32.const 2)) (i32.const 7))) (i32.const -8)))
        (global.set $records (i32.add (global.get $records) (i32.const 1))))
      (global.set $lines (i32.add (global.get $lines) (i32.const 1)))
      (local.set $pos (i32.add (local.get $nl) (i32.const 1)))
      (br $line))
    (local.get $pos))
)
