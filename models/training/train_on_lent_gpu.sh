#!/bin/bash
# One prepared training run for a lent GPU machine (the device tool: one command of at most 10 minutes, 15
# minutes of device time a session, 64 MiB carried). Widens the shipped network (widen_mask_net.py), trains it
# on the packed renders weighted as the twelfth session's build/scenes-all (0.6.0's scenes once, the light-tent
# scenes and the 512² training scenes twice) and leaves the checkpoint in $OUT. It is exported and measured back
# here (build/eval-cand.sh or the model card's commands): the device's PyTorch exports with another exporter
# than the one the model card's hashes were made with.
#
# Here, once:   /usr/bin/python3 models/training/pack_renders.py build/pieces build/scenes build/scenes06 \
#                   build/rscenes-train --out build/gpu-pack
#               (the scene folders where this machine has them; with none, every sample is composed from the pieces)
# There:        run(command="bash models/training/train_on_lent_gpu.sh", carry=["build/gpu-pack"], timeout_s=600)
# A dry run here (a few steps on the CPU, to check the script before spending device time):
#               DEVICE=cpu WORKERS=1 BATCH=2 MINUTES=0.3 OUT=/tmp/gpu-dry PYTHON=/usr/bin/python3 \
#                   bash models/training/train_on_lent_gpu.sh
#
# The budget: about a minute to start the machine and carry ~50 MiB, 7 minutes of training, the rest margin.
# Feeding it, estimated from costs measured here (a composed sample 0.16 s of a CPU core, a rendered scene's crop
# 0.03 s, with a training run beside them): 14 workers at a scene share of 0.7 make about 200 samples a second,
# 4 steps of 48, about 85 000 samples in the 7 minutes (0.7.0 saw about 290 000 in all). Not yet run on a GPU.
set -euo pipefail
cd "$(dirname "$0")/../.."
PACK=${PACK:-build/gpu-pack}
OUT=${OUT:?set OUT to the folder the checkpoint goes to}
PYTHON=${PYTHON:-python3}
DEVICE=${DEVICE:-cuda}
WORKERS=${WORKERS:-14}
BATCH=${BATCH:-48}
MINUTES=${MINUTES:-7}
LR=${LR:-4e-4}
SCENE_SHARE=${SCENE_SHARE:-0.7}
WIDTHS=${WIDTHS:-16,32,64,128,192}
SEED=${SEED:-171}
export PYTHONUNBUFFERED=1
[ -d "$PACK/pieces" ] || { echo "no $PACK/pieces: pack the renders first (see this script's header)" >&2; exit 2; }
# The scene folders are packed where this machine has them (a fresh checkout has none until they are rendered
# again: the card's Reproduce). Without any, the run composes every sample from the pieces, and says so.
scene_folders=0
for folder in scenes scenes06 rscenes-train; do
  if [ -d "$PACK/$folder" ]; then scene_folders=$((scene_folders + 1)); else echo "note: no $PACK/$folder, trained without it" >&2; fi
done
mkdir -p "$OUT"
work=$(mktemp -d)
# The weighting: each scene linked in once, the tent scenes and the 512² training scenes twice (each link
# named with its folder's letter, so that renders of one number in two folders stay two).
mkdir "$work/scenes"
link() {  # link FOLDER PREFIX...: every file of the pack's FOLDER, once per prefix (none where it is missing)
  local folder=$1 f prefix; shift
  [ -d "$PACK/$folder" ] || return 0
  for f in "$PACK/$folder"/*; do for prefix in "$@"; do ln -s "$(realpath "$f")" "$work/scenes/$prefix$(basename "$f")"; done; done
}
link scenes06 s
link scenes t tt
link rscenes-train r rr
scene_args=(--scenes "$work/scenes" --scene-share "$SCENE_SHARE")
if [ "$scene_folders" -eq 0 ]; then scene_args=(); echo "note: no rendered scenes packed: every sample composed from the pieces" >&2; fi
$PYTHON -c "import torch; print('torch', torch.__version__, 'cuda', torch.cuda.is_available())"
$PYTHON models/training/widen_mask_net.py models/training/checkpoints/jewelry-mask.pt "$work/wide.pt" --widths "$WIDTHS"
$PYTHON models/training/train_mask.py --device "$DEVICE" --workers "$WORKERS" --batch "$BATCH" --crop 256 \
  --threads 2 --pieces "$PACK/pieces" ${scene_args[@]+"${scene_args[@]}"} --lr "$LR" --seed "$SEED" \
  --steps 1000000 --minutes "$MINUTES" --resume "$work/wide.pt" --checkpoint "$OUT/wide-trained.pt" 2>&1 \
  | grep -v -e "UserWarning" -e "yield (torch" | tee "$OUT/train.log"
rm -rf "$work"
