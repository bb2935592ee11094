// Uploads with progress. fetch() cannot report upload progress, XMLHttpRequest can.
export interface UploadAnswer {
  status: number;
  text: string;
}

interface UploadOptions {
  url: string;
  body: string;
  headers: Record<string, string>;
  /** Fraction sent, 0..1. */
  onProgress: (fraction: number) => void;
  /** Every byte is sent; the server is now working on it. */
  onSent: () => void;
}

/** Resolves with any HTTP answer; rejects only when no answer came (network failure). */
export function uploadWithProgress({ url, body, headers, onProgress, onSent }: UploadOptions): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.upload.onload = () => onSent();
    xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
    xhr.onerror = () => reject(new Error('network error'));
    xhr.send(body);
  });
}
