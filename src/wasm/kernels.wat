;; SIMD kernels of the diff engine, hand-written WebAssembly text (compiled by scripts/build-wasm.mjs into
;; kernels-binary.ts). Memory is laid out by the caller (src/wasm/kernels.ts): every pointer below is a byte offset.
;;
;; Two jobs, both the per-pixel hot path of `gunw diff` on float and integer layers:
;; - turning a row of a chunk that is still in HDF5 shuffle order (byte plane k holds byte k of every element)
;;   into float64 values;
;; - the statistics of a row of reference and candidate values, two pixels at a time.
;; And one of packaging's: HDF5's byte shuffle of a float32 chunk before it is deflated.
(module
  (memory (export "memory") 1)

  ;; Lane masks are all-ones where true: subtracting a mask counts one per true lane.

  ;; Statistics of $n pixels of the float64 rows at $a (reference) and $b (candidate). $n must be even: the caller
  ;; pads an odd row with a pixel that is NaN on both sides, which counts nowhere. A pixel is compared when both
  ;; sides are valid (neither NaN nor their side's fill value); equal infinities differ by 0 (y − x alone is NaN).
  ;; Adds one to the u32 histogram at $hist, bin = the float32 bit pattern of |Δ| shifted right by 15 bits, for
  ;; every compared pixel. Writes float64 results at $out:
  ;;   [0] Σ|Δ|  [8] ΣΔ²  [16] max |Δ|  [24] compared  [32] beyond abs + rel·|reference|  [40] valid in the
  ;;   reference only  [48] valid in the candidate only
  (func (export "valueStatistics")
        (param $a i32) (param $b i32) (param $n i32) (param $fillA f64) (param $fillB f64) (param $abs f64) (param $rel f64)
        (param $hist i32) (param $out i32)
    (local $i i32) (local $end i32) (local $slot i32)
    (local $x v128) (local $y v128) (local $d v128) (local $ad v128) (local $bins v128)
    (local $valid v128) (local $validA v128) (local $validB v128)
    (local $fa v128) (local $fb v128) (local $absv v128) (local $relv v128) (local $relx v128)
    (local $sumAbs v128) (local $sumSquares v128) (local $max v128)
    (local $compared v128) (local $exceeding v128) (local $onlyA v128) (local $onlyB v128)
    (local.set $fa (f64x2.splat (local.get $fillA)))
    (local.set $fb (f64x2.splat (local.get $fillB)))
    (local.set $absv (f64x2.splat (local.get $abs)))
    (local.set $relv (f64x2.splat (local.get $rel)))
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (block $done
      (loop $pixels
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $x (v128.load (i32.add (local.get $a) (local.get $i))))
        (local.set $y (v128.load (i32.add (local.get $b) (local.get $i))))
        (local.set $validA (v128.and (f64x2.eq (local.get $x) (local.get $x)) (f64x2.ne (local.get $x) (local.get $fa))))
        (local.set $validB (v128.and (f64x2.eq (local.get $y) (local.get $y)) (f64x2.ne (local.get $y) (local.get $fb))))
        (local.set $valid (v128.and (local.get $validA) (local.get $validB)))
        (local.set $d (f64x2.sub (local.get $y) (local.get $x)))
        ;; |Δ| where compared and Δ is a number, else 0 (bits all zero): sums, max and bin 0 are left as they are.
        (local.set $ad (v128.and (f64x2.abs (local.get $d)) (v128.and (local.get $valid) (f64x2.eq (local.get $d) (local.get $d)))))
        (local.set $sumAbs (f64x2.add (local.get $sumAbs) (local.get $ad)))
        (local.set $sumSquares (f64x2.add (local.get $sumSquares) (f64x2.mul (local.get $ad) (local.get $ad))))
        (local.set $max (f64x2.max (local.get $max) (local.get $ad)))
        (local.set $compared (i64x2.sub (local.get $compared) (local.get $valid)))
        ;; The limit is abs + rel·|reference|; rel·|reference| is NaN only as 0·∞, and counts as 0 then.
        (local.set $relx (f64x2.mul (local.get $relv) (f64x2.abs (local.get $x))))
        (local.set $relx (v128.and (local.get $relx) (f64x2.eq (local.get $relx) (local.get $relx))))
        (local.set $exceeding (i64x2.sub (local.get $exceeding) (f64x2.gt (local.get $ad) (f64x2.add (local.get $absv) (local.get $relx)))))
        (local.set $onlyA (i64x2.sub (local.get $onlyA) (v128.andnot (local.get $validA) (local.get $validB))))
        (local.set $onlyB (i64x2.sub (local.get $onlyB) (v128.andnot (local.get $validB) (local.get $validA))))
        ;; Histogram: a pixel that is not compared adds 0 (its mask's low word is 0) to bin 0.
        (local.set $bins (i32x4.shr_u (f32x4.demote_f64x2_zero (local.get $ad)) (i32.const 15)))
        (local.set $slot (i32.add (local.get $hist) (i32.shl (i32x4.extract_lane 0 (local.get $bins)) (i32.const 2))))
        (i32.store (local.get $slot) (i32.sub (i32.load (local.get $slot)) (i32x4.extract_lane 0 (local.get $valid))))
        (local.set $slot (i32.add (local.get $hist) (i32.shl (i32x4.extract_lane 1 (local.get $bins)) (i32.const 2))))
        (i32.store (local.get $slot) (i32.sub (i32.load (local.get $slot)) (i32x4.extract_lane 2 (local.get $valid))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $pixels)))
    (f64.store (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $sumAbs)) (f64x2.extract_lane 1 (local.get $sumAbs))))
    (f64.store offset=8 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $sumSquares)) (f64x2.extract_lane 1 (local.get $sumSquares))))
    (f64.store offset=16 (local.get $out) (f64.max (f64x2.extract_lane 0 (local.get $max)) (f64x2.extract_lane 1 (local.get $max))))
    (f64.store offset=24 (local.get $out) (call $laneSum (local.get $compared)))
    (f64.store offset=32 (local.get $out) (call $laneSum (local.get $exceeding)))
    (f64.store offset=40 (local.get $out) (call $laneSum (local.get $onlyA)))
    (f64.store offset=48 (local.get $out) (call $laneSum (local.get $onlyB))))

  (func $laneSum (param $v v128) (result f64)
    (f64.convert_i64_s (i64.add (i64x2.extract_lane 0 (local.get $v)) (i64x2.extract_lane 1 (local.get $v)))))

  ;; $n float32 values in shuffle order (4 planes of $n bytes from $planes) as float64 at $out.
  (func (export "unshuffleFloat32") (param $planes i32) (param $n i32) (param $out i32)
    (local $i i32) (local $p1 i32) (local $p2 i32) (local $p3 i32)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local $lo01 v128) (local $hi01 v128) (local $lo23 v128) (local $hi23 v128) (local $q v128) (local $at i32)
    (local.set $p1 (i32.add (local.get $planes) (local.get $n)))
    (local.set $p2 (i32.add (local.get $p1) (local.get $n)))
    (local.set $p3 (i32.add (local.get $p2) (local.get $n)))
    (block $done
      (loop $blocks
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $n)))
        (local.set $b0 (v128.load (i32.add (local.get $planes) (local.get $i))))
        (local.set $b1 (v128.load (i32.add (local.get $p1) (local.get $i))))
        (local.set $b2 (v128.load (i32.add (local.get $p2) (local.get $i))))
        (local.set $b3 (v128.load (i32.add (local.get $p3) (local.get $i))))
        ;; Bytes 0 and 1, then 2 and 3, of elements 0-7 and 8-15 side by side ...
        (local.set $lo01 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $b0) (local.get $b1)))
        (local.set $hi01 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $b0) (local.get $b1)))
        (local.set $lo23 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $b2) (local.get $b3)))
        (local.set $hi23 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $b2) (local.get $b3)))
        ;; ... then whole elements, four at a time, widened to float64 two at a time.
        (local.set $at (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $q (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $lo01) (local.get $lo23)))
        (v128.store offset=0 (local.get $at) (f64x2.promote_low_f32x4 (local.get $q)))
        (v128.store offset=16 (local.get $at) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $q) (local.get $q))))
        (local.set $q (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $lo01) (local.get $lo23)))
        (v128.store offset=32 (local.get $at) (f64x2.promote_low_f32x4 (local.get $q)))
        (v128.store offset=48 (local.get $at) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $q) (local.get $q))))
        (local.set $q (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $hi01) (local.get $hi23)))
        (v128.store offset=64 (local.get $at) (f64x2.promote_low_f32x4 (local.get $q)))
        (v128.store offset=80 (local.get $at) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $q) (local.get $q))))
        (local.set $q (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $hi01) (local.get $hi23)))
        (v128.store offset=96 (local.get $at) (f64x2.promote_low_f32x4 (local.get $q)))
        (v128.store offset=112 (local.get $at) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $q) (local.get $q))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $blocks)))
    (block $end
      (loop $tail
        (br_if $end (i32.ge_u (local.get $i) (local.get $n)))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3)))
          (f64.promote_f32 (f32.reinterpret_i32
            (i32.or (i32.or (i32.load8_u (i32.add (local.get $planes) (local.get $i)))
                            (i32.shl (i32.load8_u (i32.add (local.get $p1) (local.get $i))) (i32.const 8)))
                    (i32.or (i32.shl (i32.load8_u (i32.add (local.get $p2) (local.get $i))) (i32.const 16))
                            (i32.shl (i32.load8_u (i32.add (local.get $p3) (local.get $i))) (i32.const 24)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail))))

  ;; $n 16-bit integers in shuffle order (2 planes of $n bytes from $planes) as float64 at $out; signed unless
  ;; $unsigned is 1.
  (func (export "unshuffleInt16") (param $planes i32) (param $n i32) (param $out i32) (param $unsigned i32)
    (local $i i32) (local $p1 i32) (local $b0 v128) (local $b1 v128) (local $word i32) (local $at i32)
    (local $lo v128) (local $hi v128) (local $q v128)
    (local.set $p1 (i32.add (local.get $planes) (local.get $n)))
    (block $done
      (loop $blocks
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 8)) (local.get $n)))
        ;; Eight elements a time: the low and high bytes side by side are eight 16-bit integers.
        (local.set $b0 (v128.load64_zero (i32.add (local.get $planes) (local.get $i))))
        (local.set $b1 (v128.load64_zero (i32.add (local.get $p1) (local.get $i))))
        (local.set $q (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $b0) (local.get $b1)))
        (if (local.get $unsigned)
          (then
            (local.set $lo (i32x4.extend_low_i16x8_u (local.get $q)))
            (local.set $hi (i32x4.extend_high_i16x8_u (local.get $q))))
          (else
            (local.set $lo (i32x4.extend_low_i16x8_s (local.get $q)))
            (local.set $hi (i32x4.extend_high_i16x8_s (local.get $q)))))
        ;; Every 16-bit value, signed or not, is an int32 here: one signed conversion serves both.
        (local.set $at (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))))
        (v128.store (local.get $at) (f64x2.convert_low_i32x4_s (local.get $lo)))
        (v128.store offset=16 (local.get $at) (f64x2.convert_low_i32x4_s (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $lo) (local.get $lo))))
        (v128.store offset=32 (local.get $at) (f64x2.convert_low_i32x4_s (local.get $hi)))
        (v128.store offset=48 (local.get $at) (f64x2.convert_low_i32x4_s (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $hi) (local.get $hi))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $blocks)))
    (block $end
      (loop $tail
        (br_if $end (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $word (i32.or (i32.load8_u (i32.add (local.get $planes) (local.get $i)))
                                 (i32.shl (i32.load8_u (i32.add (local.get $p1) (local.get $i))) (i32.const 8))))
        (if (i32.eqz (local.get $unsigned)) (then (local.set $word (i32.extend16_s (local.get $word)))))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))) (f64.convert_i32_s (local.get $word)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail))))

  ;; HDF5's byte shuffle of $n float32 values at $values into 4 planes of $n bytes at $planes (plane k holds byte k
  ;; of every value), sixteen values at a time.
  (func (export "shuffleFloat32") (param $values i32) (param $n i32) (param $planes i32)
    (local $i i32) (local $from i32) (local $word i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local $low01 v128) (local $high01 v128) (local $low23 v128) (local $high23 v128)
    (local $p1 i32) (local $p2 i32) (local $p3 i32)
    (local.set $p1 (i32.add (local.get $planes) (local.get $n)))
    (local.set $p2 (i32.add (local.get $p1) (local.get $n)))
    (local.set $p3 (i32.add (local.get $p2) (local.get $n)))
    (block $done
      (loop $blocks
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $n)))
        (local.set $from (i32.add (local.get $values) (i32.shl (local.get $i) (i32.const 2))))
        (local.set $v0 (v128.load (local.get $from)))
        (local.set $v1 (v128.load offset=16 (local.get $from)))
        (local.set $v2 (v128.load offset=32 (local.get $from)))
        (local.set $v3 (v128.load offset=48 (local.get $from)))
        ;; Bytes 0 and 1 of eight values, then bytes 2 and 3, from each pair of vectors ...
        (local.set $low01 (i8x16.shuffle 0 4 8 12 16 20 24 28 1 5 9 13 17 21 25 29 (local.get $v0) (local.get $v1)))
        (local.set $high01 (i8x16.shuffle 2 6 10 14 18 22 26 30 3 7 11 15 19 23 27 31 (local.get $v0) (local.get $v1)))
        (local.set $low23 (i8x16.shuffle 0 4 8 12 16 20 24 28 1 5 9 13 17 21 25 29 (local.get $v2) (local.get $v3)))
        (local.set $high23 (i8x16.shuffle 2 6 10 14 18 22 26 30 3 7 11 15 19 23 27 31 (local.get $v2) (local.get $v3)))
        ;; ... then each byte of all sixteen together, into its plane.
        (v128.store (i32.add (local.get $planes) (local.get $i))
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $low01) (local.get $low23)))
        (v128.store (i32.add (local.get $p1) (local.get $i))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $low01) (local.get $low23)))
        (v128.store (i32.add (local.get $p2) (local.get $i))
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $high01) (local.get $high23)))
        (v128.store (i32.add (local.get $p3) (local.get $i))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $high01) (local.get $high23)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $blocks)))
    (block $end
      (loop $tail
        (br_if $end (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $word (i32.load (i32.add (local.get $values) (i32.shl (local.get $i) (i32.const 2)))))
        (i32.store8 (i32.add (local.get $planes) (local.get $i)) (local.get $word))
        (i32.store8 (i32.add (local.get $p1) (local.get $i)) (i32.shr_u (local.get $word) (i32.const 8)))
        (i32.store8 (i32.add (local.get $p2) (local.get $i)) (i32.shr_u (local.get $word) (i32.const 16)))
        (i32.store8 (i32.add (local.get $p3) (local.get $i)) (i32.shr_u (local.get $word) (i32.const 24)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail))))
)
