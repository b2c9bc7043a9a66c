#!/bin/bash
# Measures a trained checkpoint as a candidate to ship, as the model card measures the shipped model: exported
# to ONNX at the shipped calibration (+1.0 on the jewelry logits), then the whole `loupe mask` pipeline on the
# evaluation sets (eval-mask-model.ts), and on the held-out renders where build/rscenes-holdout exists.
#
#   bash models/training/eval_candidate.sh CHECKPOINT NAME [AVERAGE_WITH...]
#
# AVERAGE_WITH: more checkpoints, averaged with the first, all in equal parts, before the export. QUICK=1 skips the
# held-out renders. Everything goes to build/cand-NAME/ (the model, its .json, the logs); nothing is shipped.
set -euo pipefail
cd "$(dirname "$0")/../.."
checkpoint=${1:?give the checkpoint to measure} name=${2:?give the candidate a name}
shift 2
average=("$@")
dir=build/cand-$name
mkdir -p "$dir"
/usr/bin/python3 models/training/train_mask.py --steps 0 --resume "$checkpoint" ${average[@]:+--average-with "${average[@]}"} \
  --checkpoint "$dir/checkpoint.pt" --export "$dir/jewelry-mask.onnx" --version "0.0.0-$name" --jewel-bias 1.0 \
  2>&1 | grep -v -e "Warning" -e "warnings.warn" -e "_C._jit_pass"
sha256sum "$dir/jewelry-mask.onnx"
npx tsx scripts/eval-mask-model.ts --models "$dir" > "$dir/eval.log"
tail -6 "$dir/eval.log"
if [ "${QUICK:-0}" != 1 ] && [ -d build/rscenes-holdout ]; then
  npx tsx scripts/eval-mask-resolution.ts build/rscenes-holdout --models "$dir" > "$dir/holdout.log"
  tail -3 "$dir/holdout.log"
fi
