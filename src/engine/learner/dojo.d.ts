// Types a learner's app imports as `import type { Env } from 'dojo'` (also given to the editor).
export type {
  Env,
  KeyValue,
  ObjectStore,
  ObjectInfo,
  StoredObject,
  Sql,
  QueryResult,
  SetOptions,
  SignedUrlOptions,
  ListEnd,
  ScoreBound,
  ScoredMember,
  ZRangeOptions,
  ZRangeByScoreOptions,
  StreamEntry,
  StreamRead,
} from '../services/types.ts';
