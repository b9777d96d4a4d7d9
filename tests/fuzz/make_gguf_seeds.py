#!/usr/bin/env python3
"""Writes the small synthetic GGUF files of corpus/fuzz_gguf/ (seeds for the fuzz_gguf target).

Each is a valid GGUF v3 file (ggml docs/gguf.md) with a few tiny tensors, kept under 4 KiB so
libFuzzer's default input length covers them. Run from anywhere; rewrites the seeds in place.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus", "fuzz_gguf")

F32, F16, Q4_0, Q8_0, Q6_K, MXFP4 = 0, 1, 2, 8, 14, 39
BLOCK = {F32: (1, 4), F16: (1, 2), Q4_0: (32, 18), Q8_0: (32, 34), Q6_K: (256, 210), MXFP4: (32, 17)}


def s(text):
    b = text.encode()
    return struct.pack("<Q", len(b)) + b


class Gguf:
    def __init__(self, alignment=32):
        self.kvs, self.tensors, self.alignment = [], [], alignment

    def kv(self, key, vtype, payload):
        self.kvs.append(s(key) + struct.pack("<I", vtype) + payload)

    def u32(self, key, v): self.kv(key, 4, struct.pack("<I", v))
    def i32(self, key, v): self.kv(key, 5, struct.pack("<i", v))
    def u64(self, key, v): self.kv(key, 10, struct.pack("<Q", v))
    def f32(self, key, v): self.kv(key, 6, struct.pack("<f", v))
    def boolean(self, key, v): self.kv(key, 7, struct.pack("<B", v))
    def string(self, key, v): self.kv(key, 8, s(v))

    def strings(self, key, items):
        self.kv(key, 9, struct.pack("<IQ", 8, len(items)) + b"".join(s(i) for i in items))

    def floats(self, key, items):
        self.kv(key, 9, struct.pack("<IQ", 6, len(items)) + b"".join(struct.pack("<f", x) for x in items))

    def tensor(self, name, dims, ggml_type):
        self.tensors.append((name, dims, ggml_type))

    @staticmethod
    def nbytes(dims, ggml_type):
        weights, size = BLOCK[ggml_type]
        rows = 1
        for d in dims[1:]:
            rows *= d
        return rows * dims[0] // weights * size

    def build(self):
        out = b"GGUF" + struct.pack("<IQQ", 3, len(self.tensors), len(self.kvs)) + b"".join(self.kvs)
        offset, end = 0, 0
        for name, dims, t in self.tensors:
            out += s(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
            out += struct.pack("<IQ", t, offset)
            end = offset + self.nbytes(dims, t)
            offset = (end + self.alignment - 1) // self.alignment * self.alignment
        out += b"\0" * (-len(out) % self.alignment)
        return out + b"\0" * end


def base(arch, layers=1, hidden=32, heads=4, kv_heads=2, ffn=64, alignment=32):
    g = Gguf(alignment)
    g.string("general.architecture", arch)
    g.string("general.name", "seed " + arch)
    if alignment != 32:
        g.u32("general.alignment", alignment)
    g.u32(arch + ".block_count", layers)
    g.u32(arch + ".context_length", 2048)
    g.u32(arch + ".embedding_length", hidden)
    g.u32(arch + ".feed_forward_length", ffn)
    g.u32(arch + ".attention.head_count", heads)
    g.u32(arch + ".attention.head_count_kv", kv_heads)
    g.f32(arch + ".attention.layer_norm_rms_epsilon", 1e-5)
    return g


def llama():
    g = base("llama")
    g.strings("tokenizer.ggml.tokens", ["<s>", "</s>", "a", "b"])
    g.floats("tokenizer.ggml.scores", [0.0, 0.0, -1.0, -2.0])
    g.tensor("token_embd.weight", [32, 4], Q4_0)
    g.tensor("blk.0.attn_norm.weight", [32], F32)
    g.tensor("blk.0.attn_q.weight", [32, 32], Q4_0)
    g.tensor("blk.0.attn_v.weight", [32, 16], Q8_0)
    g.tensor("blk.0.ffn_down.weight", [64, 32], Q4_0)
    g.tensor("output.weight", [32, 4], Q8_0)
    return g


def qwen2_bias_aligned():
    g = base("qwen2", alignment=64)
    g.tensor("token_embd.weight", [32, 8], F16)
    g.tensor("blk.0.attn_q.weight", [32, 32], Q8_0)
    g.tensor("blk.0.attn_q.bias", [32], F32)
    g.tensor("blk.0.attn_k.bias", [16], F32)
    return g


def gpt_oss_moe():
    g = base("gpt-oss", ffn=999)
    g.u32("gpt-oss.expert_count", 4)
    g.u32("gpt-oss.expert_used_count", 2)
    g.u32("gpt-oss.expert_feed_forward_length", 8)
    g.u32("gpt-oss.attention.key_length", 8)
    g.u32("gpt-oss.attention.sliding_window", 128)
    g.boolean("gpt-oss.use_parallel_residual", 0)
    g.tensor("token_embd.weight", [32, 6], F16)
    g.tensor("blk.0.ffn_gate_exps.weight", [32, 8, 4], MXFP4)
    g.tensor("blk.0.ffn_down_exps.weight", [32, 8, 4], MXFP4)
    return g


def qwen3moe_k_quant():
    g = base("qwen3moe", hidden=256, heads=2, kv_heads=1, ffn=256)
    g.u64("qwen3moe.expert_count", 2)
    g.i32("qwen3moe.expert_used_count", 1)
    g.u32("qwen3moe.vocab_size", 3)
    g.tensor("blk.0.ffn_down_exps.weight", [256, 1, 2], Q6_K)
    return g


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, make in [("llama", llama), ("qwen2_bias_aligned", qwen2_bias_aligned),
                       ("gpt_oss_moe", gpt_oss_moe), ("qwen3moe_k_quant", qwen3moe_k_quant)]:
        data = make().build()
        assert len(data) <= 4096, (name, len(data))
        with open(os.path.join(OUT, name + ".gguf"), "wb") as f:
            f.write(data)
    with open(os.path.join(OUT, "header_only.gguf"), "wb") as f:
        f.write(b"GGUF" + struct.pack("<IQQ", 3, 0, 0))


if __name__ == "__main__":
    main()
