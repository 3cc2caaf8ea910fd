/**
 * Sign-in requests waiting to be answered by email (src/service/sign-in.ts). The HTTP request only inserts
 * one document, keyed by a random _id, whatever the address: looking the address up, issuing the link and
 * sending happen later, in a loop apart from the request, so the answer cannot tell who is in the directory.
 * The collection stays small (a document lives from the request to its email), so the loop's scan of it
 * (FerretDB pushes down only `{_id}` filters) is cheap; every write after the insert names the `_id`.
 */
import { randomBytes } from 'node:crypto';
import { Connection, Schema } from 'mongoose';

/** Which page the link in the email opens: the API's sign-in page, or the web interface's. */
export type SignInVia = 'api' | 'web';

export interface SignInRequestDoc {
  _id: string;
  /** The address as asked for (validated); looked up only when the request is answered. */
  email: string;
  via: SignInVia;
  /** The web interface's language when asked, for a person without a language of their own. */
  lang?: string;
  createdAt: Date;
  /** Not before this instant: the next attempt after a failed send, or the end of a claim by a loop. */
  notBefore: Date;
  attempts: number;
  lastError?: string;
}

const schema = new Schema<SignInRequestDoc>(
  {
    _id: String,
    email: { type: String, required: true },
    via: { type: String, required: true },
    lang: String,
    createdAt: Date,
    notBefore: Date,
    attempts: Number,
    lastError: String,
  },
  { versionKey: false },
);

export function signInRequestModel(conn: Connection) {
  return conn.model<SignInRequestDoc>('SignInRequest', schema, 'sign_in_requests');
}
export type SignInRequestModel = ReturnType<typeof signInRequestModel>;

/** Queues a request with one insert; the same work whether or not anyone has this address. */
export async function enqueueSignInRequest(
  model: SignInRequestModel,
  request: { email: string; via: SignInVia; lang?: string },
): Promise<void> {
  const now = new Date();
  await model.collection.insertOne({
    _id: randomBytes(16).toString('hex') as never,
    ...request,
    createdAt: now,
    notBefore: now,
    attempts: 0,
  });
}

/** Requests whose time has come, oldest first. */
export async function dueSignInRequests(
  model: SignInRequestModel,
  now: Date,
  limit: number,
): Promise<SignInRequestDoc[]> {
  const due = await model.find({ notBefore: { $lte: now } }).lean();
  return due.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).slice(0, limit);
}

/**
 * Takes a request for one loop until `until` (a lease): of two loops (two API processes) that saw the same
 * `notBefore`, only one moves it. A loop that dies holding a request leaves it to be taken again once the lease ends.
 */
export async function claimSignInRequest(
  model: SignInRequestModel,
  doc: Pick<SignInRequestDoc, '_id' | 'notBefore'>,
  until: Date,
): Promise<boolean> {
  const r = await model.updateOne({ _id: doc._id, notBefore: doc.notBefore }, { $set: { notBefore: until } });
  return r.modifiedCount === 1;
}

/** The request is answered (sent, or nobody has the address, or too old): it goes. */
export async function removeSignInRequest(model: SignInRequestModel, id: string): Promise<void> {
  await model.deleteOne({ _id: id });
}

/** A send failed: try again at `notBefore`. */
export async function retrySignInRequestLater(
  model: SignInRequestModel,
  id: string,
  attempts: number,
  notBefore: Date,
  error: string,
): Promise<void> {
  await model.updateOne({ _id: id }, { $set: { attempts, notBefore, lastError: error.slice(0, 500) } });
}
