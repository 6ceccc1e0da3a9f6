#!/usr/bin/env python3
"""Generate Tests/Fixtures/run_cli/ and Tests/Fixtures/npy/ (committed): the data of the `freezer run`
end-to-end tests and of the TensorFile/NumpyFile tests.

Last run with: Python 3.11.7, onnx==1.23.2, onnxruntime==1.32.0, numpy==2.4.6.

    python3 scripts/make_run_fixtures.py

The model uses only Identity, If and Loop, so that the CLI tests do not depend on other operator
families. It is one level down (run_cli/if_loop/model.onnx) so the fixture-wide tests, which expect
every top-level fixture in MANIFEST.json, do not pick it up.

    inputs  x float32[2,3], flag bool[], count int64[]
    y            = If(flag) then Identity(x) else Identity(z)          (z: an initializer)
    loop/final:0,
    scan/out:0   = Loop(count, "", y) body: carried v -> Identity(v), scan output Identity(v)

Output names hold '/' and ':' on purpose (file-name sanitizing of --save-outputs). Expected outputs
are computed by onnxruntime. test_data_set_1 runs the loop zero times, so its scan output is
float32[0,2,3]. bad_expected/ holds a data set whose expected y is off by 0.5 (exit status 1);
custom_op/ and float_if/ hold models the evaluator must refuse (exit status 5).

npy/ holds numpy.save files of every supported dtype in both byte orders (values: VALUES below), the
format versions 2.0 and 3.0, a scalar, an empty array, and files freezer must refuse (Fortran order, a
structured dtype, complex). The Swift tests check the values read and that NumpyFile.write produces
the bytes numpy.save does.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests" / "Fixtures" / "run_cli"
NPY = ROOT / "Tests" / "Fixtures" / "npy"
# Chosen to be exact in every dtype: small integers, including 0 and 1 so bool holds them too.
VALUES = [0, 1, 2, 3, 4, 5]
SIGNED = [0, -1, 2, -3, 4, -5]
F, B, I64 = TensorProto.FLOAT, TensorProto.BOOL, TensorProto.INT64


def model() -> onnx.ModelProto:
    z = numpy_helper.from_array(np.array([[10, 20, 30], [40, 50, 60]], dtype=np.float32), "z")
    then_branch = helper.make_graph(
        [helper.make_node("Identity", ["x"], ["t_out"], name="then_identity")],
        "then_branch", [], [helper.make_tensor_value_info("t_out", F, [2, 3])])
    else_branch = helper.make_graph(
        [helper.make_node("Identity", ["z"], ["e_out"], name="else_identity")],
        "else_branch", [], [helper.make_tensor_value_info("e_out", F, [2, 3])])
    body = helper.make_graph(
        [helper.make_node("Identity", ["cond_in"], ["cond_out"], name="body_cond"),
         helper.make_node("Identity", ["v_in"], ["v_out"], name="body_carry"),
         helper.make_node("Identity", ["v_in"], ["s_out"], name="body_scan")],
        "loop_body",
        [helper.make_tensor_value_info("iter", I64, []), helper.make_tensor_value_info("cond_in", B, []),
         helper.make_tensor_value_info("v_in", F, [2, 3])],
        [helper.make_tensor_value_info("cond_out", B, []), helper.make_tensor_value_info("v_out", F, [2, 3]),
         helper.make_tensor_value_info("s_out", F, [2, 3])])
    graph = helper.make_graph(
        [helper.make_node("If", ["flag"], ["y"], name="if", then_branch=then_branch, else_branch=else_branch),
         helper.make_node("Loop", ["count", "", "y"], ["loop/final:0", "scan/out:0"], name="loop", body=body)],
        "run_cli",
        [helper.make_tensor_value_info("x", F, [2, 3]), helper.make_tensor_value_info("flag", B, []),
         helper.make_tensor_value_info("count", I64, [])],
        [helper.make_tensor_value_info("y", F, [2, 3]), helper.make_tensor_value_info("loop/final:0", F, [2, 3]),
         helper.make_tensor_value_info("scan/out:0", F, ["n", 2, 3])],
        initializer=[z])
    m = helper.make_model(graph, opset_imports=[helper.make_operatorsetid("", 13)], producer_name="freezer-fixtures")
    m.ir_version = 8
    onnx.checker.check_model(m, full_check=True)
    return m


def write_set(directory: Path, names, inputs, outputs) -> None:
    directory.mkdir(parents=True)
    for k, (name, value) in enumerate(zip(names, inputs)):
        (directory / f"input_{k}.pb").write_bytes(numpy_helper.from_array(value, name).SerializeToString())
    for k, (name, value) in enumerate(outputs):
        (directory / f"output_{k}.pb").write_bytes(numpy_helper.from_array(value, name).SerializeToString())


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    case = OUT / "if_loop"
    case.mkdir(parents=True)
    m = model()
    onnx.save(m, case / "model.onnx")
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(str(case / "model.onnx"), options, providers=["CPUExecutionProvider"])
    out_names = [o.name for o in session.get_outputs()]

    x = np.arange(6, dtype=np.float32).reshape(2, 3) * np.float32(0.25) - np.float32(0.5)
    sets = [
        (x, np.array(True), np.array(3, dtype=np.int64)),
        (x, np.array(False), np.array(0, dtype=np.int64)),
    ]
    for n, inputs in enumerate(sets):
        results = session.run(None, {"x": inputs[0], "flag": inputs[1], "count": inputs[2]})
        write_set(case / f"test_data_set_{n}", ["x", "flag", "count"], inputs, list(zip(out_names, results)))

    # Expected y off by 0.5: `freezer run` must report it and exit with status 1.
    inputs = sets[0]
    results = session.run(None, {"x": inputs[0], "flag": inputs[1], "count": inputs[2]})
    results[0] = results[0] + np.float32(0.5)
    write_set(OUT / "bad_expected", ["x", "flag", "count"], inputs, list(zip(out_names, results)))

    # Models the evaluator must refuse (exit status 5): an operator of a custom domain that no
    # evaluator implements, and an If on a float condition, which fails when the node runs.
    x_info = helper.make_tensor_value_info("x", F, [2, 3])
    custom = helper.make_graph([helper.make_node("Mystery", ["x"], ["y"], domain="com.example.freezer")], "custom",
                               [x_info], [helper.make_tensor_value_info("y", F, [2, 3])])
    m = helper.make_model(custom, opset_imports=[helper.make_operatorsetid("", 13),
                                                 helper.make_operatorsetid("com.example.freezer", 1)])
    m.ir_version = 8
    (OUT / "custom_op").mkdir()
    onnx.save(m, OUT / "custom_op" / "model.onnx")
    float_if = helper.make_graph(
        [helper.make_node("If", ["x"], ["y"], name="if_on_float",
                          then_branch=helper.make_graph([helper.make_node("Identity", ["x"], ["t"])], "t", [],
                                                        [helper.make_tensor_value_info("t", F, [2, 3])]),
                          else_branch=helper.make_graph([helper.make_node("Identity", ["x"], ["e"])], "e", [],
                                                        [helper.make_tensor_value_info("e", F, [2, 3])]))],
        "float_if", [x_info], [helper.make_tensor_value_info("y", F, [2, 3])])
    m = helper.make_model(float_if, opset_imports=[helper.make_operatorsetid("", 13)])
    m.ir_version = 8  # not checked: ONNX requires a bool condition, which is the point
    (OUT / "float_if").mkdir()
    onnx.save(m, OUT / "float_if" / "model.onnx")

    # .npy inputs for --input, including wrong ones.
    np.save(OUT / "x.npy", x)
    np.save(OUT / "flag.npy", np.array(True))
    np.save(OUT / "count.npy", np.array(2, dtype=np.int64))
    np.save(OUT / "x_float64.npy", x.astype(np.float64))
    np.save(OUT / "x_wrong_shape.npy", x.reshape(3, 2))
    np.save(OUT / "x_big_endian.npy", x.astype(">f4"))
    print(f"wrote {OUT}")
    npy()


def npy() -> None:
    if NPY.exists():
        shutil.rmtree(NPY)
    NPY.mkdir(parents=True)
    for kind in ["f2", "f4", "f8", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "b1"]:
        values = VALUES if kind[0] in "ub" else SIGNED
        for order, tag in (("<", "le"), (">", "be")):
            if kind in ("i1", "u1", "b1") and tag == "be":
                continue  # one byte: no byte order
            a = np.array(values, dtype=np.dtype(order + kind) if kind != "b1" else np.bool_).reshape(2, 3)
            if kind == "b1":
                a = a != 0
            np.save(NPY / f"{kind}_{tag}.npy", a)
    a = np.array(SIGNED, dtype=np.float32).reshape(2, 3)
    for version in ((2, 0), (3, 0)):
        with open(NPY / f"f4_v{version[0]}.npy", "wb") as f:
            np.lib.format.write_array(f, a, version=version)
    np.save(NPY / "scalar_f8.npy", np.array(2.5))
    np.save(NPY / "empty_f4.npy", np.zeros((0, 3), dtype=np.float32))
    np.save(NPY / "fortran.npy", np.asfortranarray(a))
    np.save(NPY / "structured.npy", np.zeros(2, dtype=[("a", "<i4"), ("b", "<f4")]))
    np.save(NPY / "complex.npy", np.zeros(2, dtype=np.complex64))
    print(f"wrote {NPY}")


if __name__ == "__main__":
    main()
