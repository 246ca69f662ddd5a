"""multilingual-e5-small's encoder as an ONNX graph, built in memory from the packaged model file.

The graph takes the summed word, position and type embeddings (``embeddings``, ``(batch, tokens, 384)``) and an
additive attention mask (``attention_bias``, ``(batch, 1, 1, tokens)``: 0 for a token, a large negative number for
padding), and returns the last hidden states (``hidden``). It is the BERT encoder of XLM-RoBERTa: embedding layer
norm, then 12 post-norm layers of 12-head self-attention and a GELU feed-forward block. The matrices are the
package's 4-bit weights expanded to float32 once, when the graph is built (85 MB). They are not written into the
serialised graph: the graph names them as external data and the caller hands the arrays to onnxruntime
(``SessionOptions.add_external_initializers``), which copies them in; serialising them too would hold three copies
at once (about 200 MB more at the peak). The word embeddings stay 4-bit and are expanded per token by the caller,
so the 250,000-row table never exists in float32.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .e5_model import E5ModelFile

OPSET = 17
#: The newest ONNX IR version the pinned onnxruntime reads.
IR_VERSION = 8


@dataclass
class E5Graph:
    #: The serialised ONNX model, its matrices named as external data.
    model: bytes
    #: The matrices, by name, for ``SessionOptions.add_external_initializers``.
    matrices: dict[str, np.ndarray]


class _GraphBuilder:
    def __init__(self) -> None:
        from onnx import helper, numpy_helper

        self.helper = helper
        self.numpy_helper = numpy_helper
        self.nodes: list = []
        self.initializers: list = []
        self.matrices: dict[str, np.ndarray] = {}

    def constant(self, name: str, values: np.ndarray) -> str:
        self.initializers.append(self.numpy_helper.from_array(np.ascontiguousarray(values), name))
        return name

    def matrix(self, name: str, values: np.ndarray) -> str:
        """A float32 matrix kept out of the serialised graph (see the module's docstring)."""
        from onnx import TensorProto

        tensor = TensorProto(name=name, data_type=TensorProto.FLOAT, dims=values.shape)
        tensor.data_location = TensorProto.EXTERNAL
        for key, value in (("location", "matrices"), ("offset", "0"), ("length", str(values.nbytes))):
            tensor.external_data.add(key=key, value=value)
        self.initializers.append(tensor)
        self.matrices[name] = np.ascontiguousarray(values, dtype=np.float32)
        return name

    def node(self, operator: str, inputs: list[str], output: str, **attributes: object) -> str:
        self.nodes.append(self.helper.make_node(operator, inputs, [output], **attributes))
        return output


def build_e5_graph(model_file: E5ModelFile) -> E5Graph:
    """The graph and its matrices (see the module's docstring)."""
    from onnx import TensorProto, helper

    hidden, heads = model_file.hidden, model_file.heads
    head_size = hidden // heads
    graph = _GraphBuilder()
    graph.constant("split_heads", np.array([0, 0, heads, head_size], dtype=np.int64))
    graph.constant("join_heads", np.array([0, 0, hidden], dtype=np.int64))
    graph.constant("attention_scale", np.array(1 / math.sqrt(head_size), dtype=np.float32))
    graph.constant("half", np.array(0.5, dtype=np.float32))
    graph.constant("one", np.array(1.0, dtype=np.float32))
    graph.constant("inverse_sqrt2", np.array(1 / math.sqrt(2), dtype=np.float32))

    def layer_norm(inputs: str, prefix: str, output: str) -> str:
        weight = graph.constant(f"{prefix}.w", model_file.float_tensor(f"{prefix}.w"))
        bias = graph.constant(f"{prefix}.b", model_file.float_tensor(f"{prefix}.b"))
        return graph.node(
            "LayerNormalization", [inputs, weight, bias], output, axis=-1, epsilon=model_file.layer_norm_epsilon
        )

    def linear(inputs: str, prefix: str, rows: int) -> str:
        weight = graph.matrix(f"{prefix}.w", model_file.matrix(f"{prefix}.w", rows).T)
        bias = graph.constant(f"{prefix}.b", model_file.float_tensor(f"{prefix}.b"))
        return graph.node("Add", [graph.node("MatMul", [inputs, weight], f"{prefix}.product"), bias], f"{prefix}.out")

    def heads_of(inputs: str, name: str, permutation: list[int]) -> str:
        split = graph.node("Reshape", [inputs, "split_heads"], f"{name}.split")
        return graph.node("Transpose", [split], f"{name}.heads", perm=permutation)

    states = layer_norm("embeddings", "emb.ln", "embedded")
    for layer in range(model_file.layers):
        prefix = f"l{layer}"
        queries = heads_of(linear(states, f"{prefix}.q", hidden), f"{prefix}.q", [0, 2, 1, 3])
        keys = heads_of(linear(states, f"{prefix}.k", hidden), f"{prefix}.k", [0, 2, 3, 1])
        values = heads_of(linear(states, f"{prefix}.v", hidden), f"{prefix}.v", [0, 2, 1, 3])
        scores = graph.node("MatMul", [queries, keys], f"{prefix}.scores")
        scores = graph.node("Mul", [scores, "attention_scale"], f"{prefix}.scaled")
        scores = graph.node("Add", [scores, "attention_bias"], f"{prefix}.masked")
        weights = graph.node("Softmax", [scores], f"{prefix}.weights", axis=-1)
        context = graph.node("MatMul", [weights, values], f"{prefix}.context")
        context = graph.node("Transpose", [context], f"{prefix}.context_tokens", perm=[0, 2, 1, 3])
        context = graph.node("Reshape", [context, "join_heads"], f"{prefix}.context_joined")
        attended = linear(context, f"{prefix}.ao", hidden)
        residual = graph.node("Add", [states, attended], f"{prefix}.residual1")
        states = layer_norm(residual, f"{prefix}.aln", f"{prefix}.x1")
        expanded = linear(states, f"{prefix}.fi", model_file.feed_forward)
        # GELU, exact: x / 2 * (1 + erf(x / sqrt 2)).
        erf = graph.node("Erf", [graph.node("Mul", [expanded, "inverse_sqrt2"], f"{prefix}.g0")], f"{prefix}.g1")
        gelu = graph.node(
            "Mul",
            [graph.node("Mul", [expanded, "half"], f"{prefix}.g2"), graph.node("Add", [erf, "one"], f"{prefix}.g3")],
            f"{prefix}.gelu",
        )
        projected = linear(gelu, f"{prefix}.fo", hidden)
        residual = graph.node("Add", [states, projected], f"{prefix}.residual2")
        states = layer_norm(residual, f"{prefix}.oln", f"{prefix}.x2")
    graph.node("Identity", [states], "hidden")

    onnx_graph = helper.make_graph(
        graph.nodes,
        "multilingual-e5-small",
        [
            helper.make_tensor_value_info("embeddings", TensorProto.FLOAT, ["batch", "tokens", hidden]),
            helper.make_tensor_value_info("attention_bias", TensorProto.FLOAT, ["batch", 1, 1, "tokens"]),
        ],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "tokens", hidden])],
        graph.initializers,
    )
    model = helper.make_model(onnx_graph, opset_imports=[helper.make_opsetid("", OPSET)], ir_version=IR_VERSION)
    return E5Graph(model=model.SerializeToString(), matrices=graph.matrices)
