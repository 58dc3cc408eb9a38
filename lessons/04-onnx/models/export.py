"""Makes the exported models of exercise onnx7 and onnxruntime's answers for them.

Run from this directory, in a virtual environment made from requirements.txt:

    python export.py

It writes three small models here:

- linear_sklearn.onnx: scikit-learn's LinearRegression through skl2onnx's
  defaults, which use the `LinearRegressor` op of the `ai.onnx.ml` domain;
- mlp_sklearn.onnx: an MLPRegressor through skl2onnx (Cast, MatMul, Add,
  Relu, Reshape; the batch dimension is left unknown);
- mlp_torch.onnx: a PyTorch MLP through `torch.onnx.export` (the dynamo
  exporter, asked for opset 15, weights kept inside the file);

then runs each with onnxruntime on the same inputs and writes expected.json
and the generated block of ../tests/onnx7.rs (the hidden tests cannot read
files at run time, so the bytes and the answers travel inside the tests).
Every seed is fixed; the same versions give the same files.
"""

import json
import pathlib
import re
import shutil
import subprocess

import numpy as np
import onnx
import onnxruntime
import skl2onnx
import sklearn
from skl2onnx import convert_sklearn
from skl2onnx.common.data_types import FloatTensorType
from sklearn.linear_model import LinearRegression
from sklearn.neural_network import MLPRegressor

HERE = pathlib.Path(__file__).resolve().parent
TESTS = HERE.parent / "tests" / "onnx7.rs"
FEATURES = 3
OPSET = 15


def training_data():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(200, FEATURES)).astype(np.float32)
    y = 1.5 * x[:, 0] - 2.0 * x[:, 1] + 0.5 * np.maximum(x[:, 2], 0.0) + 0.25
    return x, y


def sklearn_models():
    x, y = training_data()
    linear = LinearRegression().fit(x, y)
    mlp = MLPRegressor(hidden_layer_sizes=(8,), random_state=0, max_iter=3000).fit(x, y)
    # `None` leaves the batch dimension unknown (no value, no name), and
    # target_opset is a ceiling: skl2onnx writes the newest version any of
    # the ops it used needs, which may be lower.
    input_type = [("input", FloatTensorType([None, FEATURES]))]
    # A fixed graph name: skl2onnx picks a random one otherwise.
    return {
        name: convert_sklearn(model, name=name, initial_types=input_type, target_opset=OPSET)
        for name, model in [("linear_sklearn", linear), ("mlp_sklearn", mlp)]
    }


def torch_model(path):
    import torch

    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Linear(FEATURES, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1)
    ).eval()
    example = torch.randn(2, FEATURES)
    # dynamo=True is the default of torch 2.9 and later; it builds at opset 18
    # and converts down when asked for 15. external_data defaults to True,
    # which would put the weights in a separate `mlp_torch.onnx.data`.
    torch.onnx.export(
        net,
        (example,),
        str(path),
        input_names=["input"],
        output_names=["output"],
        opset_version=OPSET,
        dynamic_shapes=({0: "batch"},),
        external_data=False,
    )
    return onnx.load(str(path)), torch.__version__


def inputs():
    rng = np.random.default_rng(11)
    return np.round(rng.normal(size=(5, FEATURES)), 2).astype(np.float32)


def run_onnxruntime(model, x):
    session = onnxruntime.InferenceSession(
        model.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    name = session.get_inputs()[0].name
    return session.run(None, {name: x})[0].astype(np.float32).reshape(-1)


def rust_floats(values):
    # The shortest decimal that reads back as the same f32.
    return ", ".join(str(np.float32(v)) for v in values)


def rust_hex(name, data):
    hexed = data.hex()
    lines = [hexed[i : i + 96] for i in range(0, len(hexed), 96)]
    body = "\n".join(f'    "{line}",' for line in lines)
    return f"const {name}: &str = concat!(\n{body}\n);"


def describe(model):
    return {
        "bytes": len(model.SerializeToString()),
        "ir_version": model.ir_version,
        "opset_import": [[o.domain, o.version] for o in model.opset_import],
        "producer": f"{model.producer_name} {model.producer_version}",
        "ops": [f"{n.domain + '.' if n.domain else ''}{n.op_type}" for n in model.graph.node],
    }


def main():
    models = sklearn_models()
    for name, model in models.items():
        onnx.save(model, str(HERE / f"{name}.onnx"))
    versions = {
        "numpy": np.__version__,
        "scikit-learn": sklearn.__version__,
        "skl2onnx": skl2onnx.__version__,
        "onnx": onnx.__version__,
        "onnxruntime": onnxruntime.__version__,
    }
    models["mlp_torch"], versions["torch"] = torch_model(HERE / "mlp_torch.onnx")

    x = inputs()
    answers = {name: run_onnxruntime(model, x) for name, model in models.items()}
    report = {
        "versions": versions,
        "inputs": x.tolist(),
        "models": {
            name: {**describe(model), "onnxruntime": answers[name].tolist()}
            for name, model in models.items()
        },
    }
    (HERE / "expected.json").write_text(json.dumps(report, indent=2) + "\n")

    made_by = ", ".join(f"{k} {v}" for k, v in versions.items())
    block = [
        "// BEGIN GENERATED by models/export.py; do not edit by hand.",
        f"// Made with {made_by}.",
        "",
        "/// Five input rows of three features each, row-major.",
        f"const INPUTS: [f32; {x.size}] = [{rust_floats(x.reshape(-1))}];",
    ]
    for name, model in models.items():
        upper = name.upper()
        block += [
            "",
            f"/// {name}.onnx, as hex ({describe(model)['bytes']} bytes).",
            rust_hex(upper, model.SerializeToString()),
            f"/// onnxruntime's output for INPUTS, one value per row.",
            f"const {upper}_ORT: [f32; {answers[name].size}] = [{rust_floats(answers[name])}];",
        ]
    block.append("// END GENERATED")
    text = TESTS.read_text()
    pattern = re.compile(r"// BEGIN GENERATED.*?// END GENERATED", re.S)
    if not pattern.search(text):
        raise SystemExit(f"{TESTS} has no generated block to replace")
    TESTS.write_text(pattern.sub(lambda _: "\n".join(block), text))
    if shutil.which("rustfmt"):
        subprocess.run(["rustfmt", "--edition", "2024", str(TESTS)], check=True)
    print(json.dumps(report["models"], indent=2))


if __name__ == "__main__":
    main()
