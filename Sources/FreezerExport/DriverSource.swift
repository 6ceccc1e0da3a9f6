import Crypto
import Foundation

/// freezer's Python driver, built into the binary so that the log's digest names exactly the code that
/// ran. It is written to the work directory and run in the training environment's interpreter.
enum DriverSource {
    static let text = #"""
# freezer's export driver: run by `freezer export` in the training environment's Python, with one argument,
# the request (JSON). It writes its result (JSON) where the request says, and exits 0 when it did its work,
# 2 when it refused (the result names the kind of problem). It never writes anywhere else.
import copy
import hashlib
import importlib
import importlib.metadata
import json
import os
import platform
import subprocess
import sys
import traceback
import warnings

PACKAGES = ["torch", "torchvision", "tensorflow", "tensorflow-cpu", "keras", "tf2onnx", "onnx", "onnxscript",
            "onnxruntime", "numpy", "safetensors"]
DTYPES = {"float32", "float64", "float16", "int64", "int32", "int8", "uint8", "bool"}


class Refusal(Exception):
    def __init__(self, kind, message, **details):
        super().__init__(message)
        self.kind, self.message, self.details = kind, message, details


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


def factory(spec):
    module_name, _, function_name = spec.partition(":")
    if not module_name or not function_name:
        raise Refusal("factory_invalid", f"model.factory '{spec}' must be module:function, e.g. mypkg.nets:build")
    try:
        module = importlib.import_module(module_name)
    except Exception as e:
        raise Refusal("factory_invalid", f"cannot import '{module_name}' for model.factory '{spec}': "
                      f"{type(e).__name__}: {e}; check model.factory and model.python_path")
    function = getattr(module, function_name, None)
    if not callable(function):
        raise Refusal("factory_invalid", f"'{module_name}' has no function '{function_name}' (model.factory '{spec}')")
    return function


def load_pytorch(request, files):
    torch = need("torch", "to load a PyTorch model")
    for entry in reversed(request["python_path"]):
        sys.path.insert(0, entry)
    build = factory(request["factory"])
    try:
        model = build()
    except Exception as e:
        raise Refusal("factory_invalid", f"model.factory '{request['factory']}' failed: {type(e).__name__}: {e}")
    if not isinstance(model, torch.nn.Module):
        raise Refusal("factory_invalid", f"model.factory '{request['factory']}' returned {type(model).__name__}, "
                      "not a torch.nn.Module")
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
    model.eval()
    try:
        with torch.no_grad():
            return flatten(torch, model(*args))
    except Refusal:
        raise
    except Exception as e:
        raise Refusal("input_rejected", f"the model rejects the recipe's inputs "
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
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            torch.onnx.export(subject, args, request["exported_path"], **call)
        except Exception as e:
            raise Refusal("exporter_failed", f"torch.onnx.export failed: {type(e).__name__}: {e}")
    result["exporter"]["warnings"] = sorted({f"{w.category.__name__}: {w.message}" for w in caught})
    if not os.path.isfile(request["exported_path"]):
        raise Refusal("exporter_failed", "torch.onnx.export returned but wrote no model")
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
    tf = need("tensorflow", "to load a Keras model (pip install tensorflow-cpu)")
    keras = need("keras", "to load a Keras model")
    path = request["checkpoint"]
    if not os.path.isfile(path):
        raise Refusal("checkpoint_missing", f"the Keras model file '{path}' does not exist or is not a file")
    files.append({"role": "checkpoint", "path": path, "sha256": sha256(path), "size": os.path.getsize(path)})
    for entry in reversed(request["python_path"]):
        sys.path.insert(0, entry)
    try:
        model = keras.models.load_model(path, compile=False)
    except Exception as e:
        raise Refusal("checkpoint_mismatch", f"keras.models.load_model cannot read '{path}': {type(e).__name__}: {e}")
    if len(model.inputs) != len(request["inputs"]):
        raise Refusal("input_rejected", f"the model has {len(model.inputs)} inputs, the recipe lists {len(request['inputs'])}")
    return tf, keras, model


def keras_inference(tf, model, args):
    try:
        outputs = model(list(args) if len(args) > 1 else args[0], training=False)
    except Exception as e:
        raise Refusal("input_rejected", f"the model rejects the recipe's inputs "
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
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            tf2onnx.convert.from_keras(model, output_path=request["exported_path"], **call)
        except Exception as e:
            raise Refusal("exporter_failed", f"tf2onnx.convert.from_keras failed: {type(e).__name__}: {e}")
    result["exporter"]["warnings"] = sorted({f"{w.category.__name__}: {w.message}" for w in caught})
    if not os.path.isfile(request["exported_path"]):
        raise Refusal("exporter_failed", "tf2onnx returned but wrote no model")
    # tf2onnx names initializers after graph ops and transposes or folds weights, so each Keras weight is
    # looked for by value: equal values (in any order of axes) under any name.
    onnx = need("onnx", "to read the exported model's initializers")
    from onnx import numpy_helper
    exported = [numpy.sort(numpy_helper.to_array(i).ravel()) for i in onnx.load(request["exported_path"]).graph.initializer]
    compared, not_exported = [], []
    for w in model.weights:
        values = numpy.sort(numpy.asarray(w.numpy()).ravel())
        if any(e.shape == values.shape and (e == values).all() for e in exported):
            compared.append(w.path)
        else:
            not_exported.append(w.path)
    result["parameter_check"] = {"compared": compared, "differences": [], "not_in_checkpoint": [],
                                 "not_exported": not_exported}


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
    result = {"ok": False, "driver": "freezer export driver 1", "mode": request["mode"]}
    try:
        result["environment"] = environment() if request["mode"] == "export" else None
        steps = {"pytorch": (export_pytorch, infer_pytorch), "keras": (export_keras, infer_keras)}
        if request["framework"] not in steps:
            raise Refusal("bad_recipe", f"framework '{request['framework']}' is not supported by this driver")
        export, infer = steps[request["framework"]]
        (export if request["mode"] == "export" else infer)(request, result)
        result["ok"] = True
        status = 0
    except Refusal as r:
        result["error"] = {"kind": r.kind, "message": r.message}
        status = 2
    except Exception as e:
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
