import Crypto
import Foundation

/// freezer's Python driver, built into the binary so that the log's digest names exactly the code that
/// ran. It is written to the work directory and run in the training environment's interpreter.
enum DriverSource {
    static let text = #"""
# freezer's export driver: run by `freezer export` in the training environment's Python, with one argument,
# the request (JSON). It writes its result (JSON) where the request says, and exits 0 when it did its work,
# 2 when it refused (the result names the kind of problem). It never writes anywhere else, except one JSON
# line per phase it enters to the request's events file (freezer's progress display; not evidence).
import copy
import hashlib
import importlib
import importlib.metadata
import importlib.util
import itertools
import json
import os
import platform
import re
import subprocess
import sys
import sysconfig
import threading
import time
import traceback
import warnings

PACKAGES = ["torch", "torchvision", "tensorflow", "tensorflow-cpu", "keras", "tf2onnx", "onnx", "onnxscript",
            "onnxruntime", "numpy", "safetensors"]
DTYPES = {"float32", "float64", "float16", "int64", "int32", "int8", "uint8", "bool"}


class Refusal(Exception):
    def __init__(self, kind, message, **details):
        super().__init__(message)
        self.kind, self.message, self.details = kind, message, details


DRIVER_FILE = os.path.realpath(__file__)
# What the driver is doing, for a refusal's message and freezer's progress display.
STATE = {"phase": None, "events": None, "user_roots": []}


def phase(name):
    if STATE["phase"] == name:
        return
    STATE["phase"] = name
    if STATE["events"]:
        with open(STATE["events"], "a") as f:
            f.write(json.dumps({"phase": name}) + "\n")


def die_with_parent(parent):
    """A killed freezer must not leave its driver writing into the scratch directory that the next run
    removes: on Linux the kernel kills the driver with its parent; elsewhere a watcher notices."""
    try:
        import ctypes
        ctypes.CDLL(None).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    except Exception:
        pass

    def watch():
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(3)
    threading.Thread(target=watch, daemon=True).start()


# The model's own code is every Python file that is neither the driver nor installed (the standard
# library, site-packages): the recipe's python_path and the factory's package count as the model's even
# when they sit in site-packages.
LIBRARY_ROOTS = sorted({os.path.realpath(p) for scheme in (None, {"base": sys.base_prefix, "platbase": sys.base_exec_prefix})
                        for k, p in sysconfig.get_paths(vars=scheme).items() if k in ("stdlib", "platstdlib", "purelib", "platlib")})


def within(path, root):
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def is_model_code(filename):
    if not filename or filename.startswith("<"):  # <frozen importlib._bootstrap>, generated code
        return False
    path = os.path.realpath(filename)
    if path == DRIVER_FILE:
        return False
    if any(within(path, root) for root in STATE["user_roots"]):
        return True
    if "site-packages" in path.split(os.sep) or "dist-packages" in path.split(os.sep):
        return False
    return not any(within(path, root) for root in LIBRARY_ROOTS)


def shown_library_path(filename):
    """A library's file as its package names it: torch/nn/functional.py, argparse.py."""
    parts = filename.split(os.sep)
    for marker in ("site-packages", "dist-packages"):
        if marker in parts:
            return "/".join(parts[len(parts) - parts[::-1].index(marker):])
    path = os.path.realpath(filename)
    roots = [root for root in LIBRARY_ROOTS if within(path, root)]
    return os.path.relpath(path, max(roots, key=len)) if roots else filename


def blame(exc):
    """Where the model's own code is at fault for `exc`: the innermost of the model's frames, whether
    the exception was raised there or in a library it called (following `raise ... from` to the
    exception a library wrapped); None when no frame of the model's code is involved."""
    e, seen = exc, set()
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        frames = [f for f in traceback.extract_tb(e.__traceback__) if os.path.realpath(f.filename) != DRIVER_FILE]
        if isinstance(e, SyntaxError) and is_model_code(e.filename):
            frames.append(traceback.FrameSummary(e.filename, e.lineno or 0, "<module>"))
        model = [f for f in frames if is_model_code(f.filename)]
        if model and frames[-1] is model[-1]:
            return e, model, None
        e = e.__cause__
    model = [f for f in traceback.extract_tb(exc.__traceback__) if is_model_code(f.filename)]
    if model:
        inner = traceback.extract_tb(exc.__traceback__)[-1]
        return exc, model, f"{shown_library_path(inner.filename)}:{inner.lineno}"
    return None


def model_code_refusal(blamed):
    e, frames, raised_in = blamed
    where = frames[-1]
    if isinstance(e, ModuleNotFoundError) and e.name and raised_in is None:
        top = e.name.split(".")[0]
        try:
            installed = importlib.util.find_spec(top) is not None
        except Exception:
            installed = True
        if not installed:
            return Refusal("package_missing", f"the module '{e.name}', imported by the model's code at {where.filename}:{where.lineno}, "
                           f"is not installed in {sys.executable} nor on model.python_path; install it in that environment "
                           f"(pip install {top}) or add its directory to model.python_path")
    text = re.sub(r"\x1b\[[0-9;]*m", "", f"{type(e).__name__}: {e}".strip())  # Keras colours its messages
    return Refusal("model_code", text, phase=STATE["phase"], file=where.filename, line=where.lineno, function=where.name,
                   raised_in=raised_in, frames=[f"{f.filename}:{f.lineno} in {f.name}" for f in frames[-8:]])


def refusal(exc, kind, message):
    """`exc`, raised by the model's own code, as its refusal; else as the phase's `kind` of refusal."""
    blamed = blame(exc)
    if blamed and blamed[2] is None:
        return model_code_refusal(blamed)
    return Refusal(kind, message)


def exporter_failure(exc, exporter, training):
    """The exporter's error; an operator the TorchScript exporter cannot write in training mode is named
    with what to do, without the TorchScript graph that the exporter appends to its message."""
    text = str(exc)
    unsupported = re.match(r"Unsupported: ONNX export of operator (\S+?),? training mode", text)
    if unsupported and exporter == "torchscript" and training == "train":
        return (f"torch.onnx.export cannot write {unsupported.group(1)} in training mode ({type(exc).__name__}; "
                "the TorchScript exporter has no training-mode form for it, e.g. for Dropout2d, Dropout3d and "
                "AlphaDropout). Export the model's inference form instead (export: training: eval; freezer still "
                "freezes it and checks it against the framework), or use a layer the exporter can write in "
                "training mode (nn.Dropout).")
    return f"torch.onnx.export failed: {type(exc).__name__}: {text}"


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def need(module, purpose):
    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise Refusal("package_missing", f"the Python module '{module}' is needed {purpose} but cannot be imported "
                      f"by {sys.executable} ({e}); install it in that environment (pip install {module})", package=module)


def environment():
    packages = {}
    for name in PACKAGES:
        try:
            packages[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            packages[name] = None
    try:
        freeze = subprocess.run([sys.executable, "-m", "pip", "freeze", "--all"], capture_output=True, text=True,
                                timeout=120, check=True).stdout
        freeze_problem = None
    except Exception as e:  # pip itself may be absent from a minimal environment: recorded, not fatal
        freeze, freeze_problem = "", f"pip freeze failed: {e}"
    return {
        "python_version": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "python_executable": sys.executable,
        "python_build": sys.version,
        "platform": platform.platform(),
        "machine": platform.machine(),
        "packages": packages,
        "pip_freeze": freeze,
        "pip_freeze_sha256": hashlib.sha256(freeze.encode()).hexdigest(),
        "pip_freeze_problem": freeze_problem,
    }


def import_model_module(module_name, key):
    """Imports a module of the model's code (`key` names where the recipe gives it); its package counts as the
    model's code from then on (or the module alone: a plain module's directory may be site-packages)."""
    try:
        module = importlib.import_module(module_name)
    except Exception as e:
        raise refusal(e, "factory_invalid", f"cannot import '{module_name}' for {key}: "
                      f"{type(e).__name__}: {e}; check {key} and model.python_path")
    package = sys.modules.get(module_name.split(".")[0])
    for root in list(getattr(package, "__path__", [])) or [getattr(package, "__file__", None)]:
        if root:
            STATE["user_roots"].append(os.path.realpath(root))
    return module


def factory(spec):
    module_name, _, function_name = spec.partition(":")
    if not module_name or not function_name:
        raise Refusal("factory_invalid", f"model.factory '{spec}' must be module:function, e.g. mypkg.nets:build")
    module = import_model_module(module_name, f"model.factory '{spec}'")
    function = getattr(module, function_name, None)
    if not callable(function):
        raise Refusal("factory_invalid", f"'{module_name}' has no function '{function_name}' (model.factory '{spec}')")
    return function


def use_python_path(request):
    for entry in reversed(request["python_path"]):
        sys.path.insert(0, entry)
        STATE["user_roots"].append(os.path.realpath(entry))


def load_pytorch(request, files):
    phase("framework")
    torch = need("torch", "to load a PyTorch model")
    phase("factory")
    use_python_path(request)
    for name in request.get("imports", []):
        import_model_module(name, f"model.imports '{name}'")
    build = factory(request["factory"])
    try:
        model = build()
    except Exception as e:
        raise refusal(e, "factory_invalid", f"model.factory '{request['factory']}' failed: {type(e).__name__}: {e}")
    if not isinstance(model, torch.nn.Module):
        raise Refusal("factory_invalid", f"model.factory '{request['factory']}' returned {type(model).__name__}, "
                      "not a torch.nn.Module")
    phase("checkpoint")
    path = request["checkpoint"]
    if not os.path.isfile(path):
        raise Refusal("checkpoint_missing", f"the checkpoint '{path}' does not exist or is not a file")
    files.append({"role": "checkpoint", "path": path, "sha256": sha256(path), "size": os.path.getsize(path)})
    try:
        if path.endswith(".safetensors"):
            state = need("safetensors.torch", "to read a .safetensors checkpoint").load_file(path)
        else:
            state = torch.load(path, map_location="cpu", weights_only=True)
    except Refusal:
        raise
    except Exception as e:
        raise Refusal("checkpoint_mismatch", f"cannot read the checkpoint '{path}': {type(e).__name__}: {e}")
    if isinstance(state, dict) and "state_dict" in state and isinstance(state["state_dict"], dict):
        state = state["state_dict"]
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise Refusal("checkpoint_mismatch", f"the checkpoint '{path}' is not a state_dict (a mapping of names to tensors)")
    expected = model.state_dict()
    missing = sorted(set(expected) - set(state))
    unexpected = sorted(set(state) - set(expected))
    wrong = sorted(k for k in set(expected) & set(state) if tuple(expected[k].shape) != tuple(state[k].shape))
    if missing or unexpected or wrong:
        parts = []
        if missing:
            parts.append(f"missing keys (in the model, not in the checkpoint): {', '.join(missing[:20])}")
        if unexpected:
            parts.append(f"unexpected keys (in the checkpoint, not in the model): {', '.join(unexpected[:20])}")
        if wrong:
            parts.append("shape mismatches: " + ", ".join(
                f"{k} checkpoint {list(state[k].shape)} model {list(expected[k].shape)}" for k in wrong[:20]))
        raise Refusal("checkpoint_mismatch", f"the checkpoint '{path}' does not match the model of "
                      f"'{request['factory']}': " + "; ".join(parts), missing=missing, unexpected=unexpected)
    model.load_state_dict(state, strict=True)
    reference = {k: v.detach().clone() for k, v in model.state_dict().items()}
    return torch, model, reference


def example_inputs(torch, inputs):
    values = []
    for spec in inputs:
        if spec["dtype"] not in DTYPES:
            raise Refusal("bad_recipe", f"input '{spec['name']}' has dtype '{spec['dtype']}'; use one of {sorted(DTYPES)}")
        dtype = getattr(torch, "bool" if spec["dtype"] == "bool" else spec["dtype"])
        values.append(torch.zeros(spec["shape"], dtype=dtype))
    return tuple(values)


def flatten(torch, value):
    if isinstance(value, torch.Tensor):
        return [value]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in flatten(torch, v)]
    if isinstance(value, dict):
        return [t for k in value for t in flatten(torch, value[k])]
    raise Refusal("input_rejected", f"the model returned {type(value).__name__}; freezer compares tensors, "
                  "tuples, lists and dicts of tensors")


def run_inference(torch, model, args):
    phase("inference")
    model.eval()
    try:
        with torch.no_grad():
            return flatten(torch, model(*args))
    except Refusal:
        raise
    except Exception as e:
        raise refusal(e, "input_rejected", f"the model rejects the recipe's inputs "
                      f"({', '.join(str(list(a.shape)) for a in args)}): {type(e).__name__}: {e}")


def hold_running_statistics(torch, model):
    """Sets momentum 0 on every BatchNorm that tracks running statistics, so that the forward pass a
    training-mode export runs leaves them as the checkpoint has them. Returns the modules changed."""
    held = []
    for name, module in model.named_modules():
        if isinstance(module, torch.nn.modules.batchnorm._BatchNorm) and module.track_running_stats:
            module.momentum = 0.0
            held.append(name)
    return held


def compare_parameters(torch, path, reference):
    onnx = need("onnx", "to read the exported model's initializers")
    from onnx import numpy_helper
    exported = onnx.load(path)
    names = {i.name: i for i in exported.graph.initializer}
    compared, differences = [], []
    for name, init in sorted(names.items()):
        if name not in reference:
            continue
        expected = reference[name].detach().cpu().numpy()
        actual = numpy_helper.to_array(init)
        compared.append(name)
        if actual.shape != expected.shape:
            differences.append({"name": name, "max_abs_difference": None,
                                "detail": f"shape {list(actual.shape)} exported, {list(expected.shape)} in the checkpoint"})
        elif not (actual == expected).all():
            diff = float(abs(actual.astype("float64") - expected.astype("float64")).max())
            differences.append({"name": name, "max_abs_difference": diff,
                                "detail": f"{int((actual != expected).sum())} of {actual.size} elements differ"})
    return {
        "compared": compared,
        "differences": differences,
        "not_in_checkpoint": sorted(n for n in names if n not in reference),
        "not_exported": sorted(k for k in reference if k not in names),
    }


def export_pytorch(request, result):
    files = []
    result["files_read"] = files
    torch, model, reference = load_pytorch(request, files)
    params = dict(request["export"])
    exporter = params.pop("exporter", "torchscript")
    training = params.pop("training", "eval")
    hold = params.pop("hold_running_statistics", True)
    if exporter not in ("torchscript", "dynamo"):
        raise Refusal("bad_recipe", f"export.exporter '{exporter}' is not one of torchscript, dynamo (PyTorch)")
    if training not in ("train", "eval", "preserve"):
        raise Refusal("bad_recipe", f"export.training '{training}' is not one of train, eval, preserve")
    if "opset" in params:
        params["opset_version"] = params.pop("opset")
    args = example_inputs(torch, request["inputs"])
    run_inference(torch, copy.deepcopy(model), args)  # the shapes are checked before the exporter runs
    # The exporter runs on a copy: the model whose inference outputs are compared stays as loaded.
    subject = copy.deepcopy(model)
    subject.train(training == "train" or (training == "preserve" and model.training))
    held = hold_running_statistics(torch, subject) if (hold and training == "train") else []
    call = {"input_names": [i["name"] for i in request["inputs"]], **params}
    if exporter == "torchscript":
        modes = {"train": torch.onnx.TrainingMode.TRAINING, "eval": torch.onnx.TrainingMode.EVAL,
                 "preserve": torch.onnx.TrainingMode.PRESERVE}
        call["training"] = modes[training]
        if "do_constant_folding" not in call and training == "train":
            call["do_constant_folding"] = False  # folding in training mode is refused by the exporter
        call["dynamo"] = False
    else:
        need("onnxscript", "by the dynamo exporter")
        call["dynamo"] = True
        call.setdefault("external_data", False)
    # The TrainingMode enum is shown as the Python expression that names it.
    shown = {k: (f"torch.onnx.{v}" if k == "training" else repr(v)) for k, v in call.items()}
    result["exporter"] = {
        "framework": "PyTorch", "framework_version": torch.__version__, "exporter": exporter, "training": training,
        "call": "torch.onnx.export(model, args, f, " + ", ".join(f"{k}={v}" for k, v in shown.items()) + ")",
        "parameters": {k: (f"torch.onnx.{v}" if k == "training" else json.loads(json.dumps(v, default=str))) for k, v in call.items()},
        "held_running_statistics": held,
        "args": [{"name": i["name"], "shape": i["shape"], "dtype": i["dtype"]} for i in request["inputs"]],
    }
    phase("export")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            torch.onnx.export(subject, args, request["exported_path"], **call)
        except Exception as e:
            raise refusal(e, "exporter_failed", exporter_failure(e, exporter, training))
    result["exporter"]["warnings"] = sorted({f"{w.category.__name__}: {w.message}" for w in caught})
    if not os.path.isfile(request["exported_path"]):
        raise Refusal("exporter_failed", "torch.onnx.export returned but wrote no model")
    phase("parameters")
    check = compare_parameters(torch, request["exported_path"], reference)
    result["parameter_check"] = check
    if check["differences"] and not request.get("accept_parameter_differences", False):
        worst = max(check["differences"], key=lambda d: d["max_abs_difference"] or float("inf"))
        raise Refusal("parameter_differences",
                      f"{len(check['differences'])} of {len(check['compared'])} exported initializers differ from the checkpoint "
                      f"({', '.join(d['name'] for d in check['differences'][:10])}); the largest difference is "
                      f"{worst['max_abs_difference']} in {worst['name']}. The exported model is not the verified one "
                      "(a training-mode export moves BatchNorm running statistics unless export.hold_running_statistics is true); "
                      "set accept_parameter_differences: true in the recipe only if this is intended", **check)


def infer_pytorch(request, result):
    numpy = need("numpy", "to exchange tensors with freezer")
    files = []
    result["files_read"] = files
    torch, model, _ = load_pytorch(request, files)
    model.eval()
    written = []
    for k, feeds in enumerate(request["feeds"]):
        args = tuple(torch.from_numpy(numpy.load(feeds[i["name"]])) for i in request["inputs"])
        outputs = run_inference(torch, model, args)
        paths = []
        for j, tensor in enumerate(outputs):
            path = os.path.join(request["outputs_dir"], f"sample_{k}_output_{j}.npy")
            numpy.save(path, tensor.detach().cpu().numpy())
            paths.append(path)
        written.append(paths)
    result["outputs"] = written
    result["inference"] = "model.eval() under torch.no_grad()"


def load_keras(request, files):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    phase("framework")
    tf = need("tensorflow", "to load a Keras model (pip install tensorflow-cpu)")
    keras = need("keras", "to load a Keras model")
    phase("checkpoint")
    path = request["checkpoint"]
    if not os.path.isfile(path):
        raise Refusal("checkpoint_missing", f"the Keras model file '{path}' does not exist or is not a file")
    files.append({"role": "checkpoint", "path": path, "sha256": sha256(path), "size": os.path.getsize(path)})
    use_python_path(request)
    for name in request.get("imports", []):
        import_model_module(name, f"model.imports '{name}'")
    try:
        model = keras.models.load_model(path, compile=False)
    except Exception as e:
        raise refusal(e, "checkpoint_mismatch", f"keras.models.load_model cannot read '{path}': {type(e).__name__}: {e}\n"
                      "(a custom layer's module is imported by listing it in model.imports, with its directory in model.python_path)")
    if len(model.inputs) != len(request["inputs"]):
        raise Refusal("input_rejected", f"the model has {len(model.inputs)} inputs, the recipe lists {len(request['inputs'])}")
    return tf, keras, model


def keras_inference(tf, model, args):
    phase("inference")
    try:
        outputs = model(list(args) if len(args) > 1 else args[0], training=False)
    except Exception as e:
        raise refusal(e, "input_rejected", f"the model rejects the recipe's inputs "
                      f"({', '.join(str(list(a.shape)) for a in args)}): {type(e).__name__}: {e}")
    if isinstance(outputs, dict):
        outputs = [outputs[k] for k in outputs]
    elif not isinstance(outputs, (list, tuple)):
        outputs = [outputs]
    return [o.numpy() for o in outputs]


def export_keras(request, result):
    files = []
    result["files_read"] = files
    tf, keras, model = load_keras(request, files)
    tf2onnx = need("tf2onnx", "to export a Keras model")
    numpy = need("numpy", "to compare the exported parameters")
    params = dict(request["export"])
    exporter = params.pop("exporter", "tf2onnx")
    training = params.pop("training", "eval")
    if exporter != "tf2onnx":
        raise Refusal("bad_recipe", f"export.exporter '{exporter}' is not tf2onnx (Keras)")
    if training != "eval":
        raise Refusal("bad_recipe", f"export.training '{training}': tf2onnx exports the Keras model in inference mode only; write eval")
    specs = [tf.TensorSpec(i["shape"], tf.as_dtype(i["dtype"]), name=i["name"]) for i in request["inputs"]]
    args = [numpy.zeros(i["shape"], dtype=i["dtype"]) for i in request["inputs"]]
    keras_inference(tf, model, args)
    call = {"input_signature": specs, "opset": params.pop("opset", None), **params}
    if call["opset"] is None:
        del call["opset"]
    shown = {k: (repr(v) if k != "input_signature" else "[" + ", ".join(
        f"tf.TensorSpec({list(t.shape)}, tf.{t.dtype.name}, name={t.name!r})" for t in v) + "]") for k, v in call.items()}
    result["exporter"] = {
        "framework": "Keras", "framework_version": f"{keras.__version__} (TensorFlow {tf.__version__})",
        "exporter": exporter, "training": "eval",
        "call": "tf2onnx.convert.from_keras(model, " + ", ".join(f"{k}={v}" for k, v in shown.items()) + ", output_path=f)",
        "parameters": {k: (shown[k] if k == "input_signature" else json.loads(json.dumps(v, default=str))) for k, v in call.items()},
        "held_running_statistics": [],
        "args": [{"name": i["name"], "shape": i["shape"], "dtype": i["dtype"]} for i in request["inputs"]],
    }
    phase("export")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            tf2onnx.convert.from_keras(model, output_path=request["exported_path"], **call)
        except Exception as e:
            raise refusal(e, "exporter_failed", f"tf2onnx.convert.from_keras failed: {type(e).__name__}: {e}")
    result["exporter"]["warnings"] = sorted({f"{w.category.__name__}: {w.message}" for w in caught})
    if not os.path.isfile(request["exported_path"]):
        raise Refusal("exporter_failed", "tf2onnx returned but wrote no model")
    phase("parameters")
    result["parameter_check"] = match_keras_weights(model, request["exported_path"], numpy)


def match_keras_weights(model, path, numpy):
    """Each Keras weight matched to an exported initializer that holds exactly its values up to a transpose
    and a reshape (tf2onnx names initializers after graph ops, transposes kernels from HWIO to OIHW and
    reshapes depthwise ones). A weight the exporter folded or rewrote (a BatchNormalization folded into a
    convolution, and that convolution's kernel) holds other values and is listed as not exported: the
    comparison with Keras's own outputs, not this one, decides whether the export computes the model."""
    onnx = need("onnx", "to read the exported model's initializers")
    from onnx import numpy_helper
    by_size = {}
    for init in onnx.load(path).graph.initializer:
        array = numpy_helper.to_array(init)
        by_size.setdefault(array.size, []).append((init.name, array.ravel()))
    compared, matches, not_exported = [], [], []
    for w in model.weights:
        value = numpy.asarray(w.numpy())
        candidates = by_size.get(value.size, [])
        # Every order of the axes up to rank 6 (720 orders); beyond, the weight as it is.
        orders = itertools.permutations(range(value.ndim)) if value.ndim <= 6 else [tuple(range(value.ndim))]
        found = None
        for order in orders:
            flat = value.transpose(order).ravel()
            found = next(((name, order) for name, array in candidates if numpy.array_equal(array, flat)), None)
            if found:
                break
        if found is None:
            not_exported.append(w.path)
            continue
        compared.append(w.path)
        name, order = found
        identity = tuple(range(value.ndim))
        transform = "as is" if order == identity else f"transposed {list(order)}"
        matches.append({"tensor": w.path, "initializer": name, "transform": transform})
    return {"compared": compared, "differences": [], "not_in_checkpoint": [], "not_exported": not_exported, "matches": matches}


def infer_keras(request, result):
    numpy = need("numpy", "to exchange tensors with freezer")
    files = []
    result["files_read"] = files
    tf, keras, model = load_keras(request, files)
    written = []
    for k, feeds in enumerate(request["feeds"]):
        args = [numpy.load(feeds[i["name"]]) for i in request["inputs"]]
        paths = []
        for j, value in enumerate(keras_inference(tf, model, args)):
            path = os.path.join(request["outputs_dir"], f"sample_{k}_output_{j}.npy")
            numpy.save(path, value)
            paths.append(path)
        written.append(paths)
    result["outputs"] = written
    result["inference"] = "model(inputs, training=False)"


def main():
    with open(sys.argv[1]) as f:
        request = json.load(f)
    if request.get("parent_pid"):
        die_with_parent(request["parent_pid"])
    STATE["events"] = request.get("events_path")
    result = {"ok": False, "driver": "freezer export driver 1", "mode": request["mode"]}
    try:
        if request["mode"] == "export":
            phase("environment")
        result["environment"] = environment() if request["mode"] == "export" else None
        steps = {"pytorch": (export_pytorch, infer_pytorch), "keras": (export_keras, infer_keras)}
        if request["framework"] not in steps:
            raise Refusal("bad_recipe", f"framework '{request['framework']}' is not supported by this driver")
        export, infer = steps[request["framework"]]
        (export if request["mode"] == "export" else infer)(request, result)
        result["ok"] = True
        status = 0
    except Refusal as r:
        result["error"] = {"kind": r.kind, "message": r.message, **r.details}
        status = 2
    except BaseException as e:  # SystemExit and KeyboardInterrupt too: the model's code may raise them
        blamed = blame(e)
        if blamed:
            r = model_code_refusal(blamed)
            result["error"] = {"kind": r.kind, "message": r.message, **r.details}
        else:
            result["error"] = {"kind": "internal", "message": f"{type(e).__name__}: {e}\n{traceback.format_exc()}"}
        status = 2
    with open(request["result_path"], "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)
    sys.exit(status)


if __name__ == "__main__":
    main()
"""#

    static var sha256: String { SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined() }
}
