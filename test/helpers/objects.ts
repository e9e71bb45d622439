/** The parts of API objects the tests read back with kubectl -o json (plain JSON, no client types). */
export interface ObjMeta {
  name: string;
  uid: string;
  generation?: number;
  labels?: Record<string, string>;
  ownerReferences?: { kind: string; name: string; uid: string; controller?: boolean }[];
  deletionTimestamp?: string;
  finalizers?: string[];
}

export interface Obj {
  metadata: ObjMeta;
  spec?: { nodeName?: string; containers?: { image: string }[] };
  status?: { desiredNumberScheduled?: number; updatedNumberScheduled?: number; observedGeneration?: number };
  revision?: number;
}

/** The UIDs of some objects, sorted (to compare sets of pods across a delete). */
export const uids = (objs: Obj[]) => objs.map((o) => o.metadata.uid).sort();

/** The objects not being deleted. */
export const live = (objs: Obj[]) => objs.filter((o) => !o.metadata.deletionTimestamp);
