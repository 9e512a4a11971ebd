# Reads a convzoo TensorBoard log with TensorBoard's own EventAccumulator (TF2 scalars appear under 'tensors').
import sys
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.util import tensor_util

logdir = sys.argv[1]
for run in ("train", "validation"):
    ea = EventAccumulator(f"{logdir}/{run}")
    ea.Reload()
    tags = ea.Tags()
    print(run, "file_version:", ea.file_version, "tensors:", sorted(tags["tensors"]))
    for tag in sorted(tags["tensors"]):
        events = ea.Tensors(tag)
        print(" ", tag, [(e.step, round(float(tensor_util.make_ndarray(e.tensor_proto)), 4)) for e in events])
        md = ea.SummaryMetadata(tag)
        assert md.plugin_data.plugin_name == "scalars", md
