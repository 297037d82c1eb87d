import { IUpload } from '@rocket.chat/apps-engine/definition/uploads';
import { UploadBridge } from '@rocket.chat/apps-engine/server/bridges/UploadBridge';
import { countCall, notEmulated, SandboxContext } from '../context';

/** Reads of the files visitors and agents uploaded (the simulator stores them with their bytes). */
export class SandboxUploadBridge extends UploadBridge {
    constructor(private readonly ctx: SandboxContext) {
        super();
    }

    protected async getById(id: string): Promise<IUpload> {
        countCall(this.ctx, 'upload.getById');
        const upload = this.ctx.world.uploads.get(id);
        if (!upload) {
            return undefined as unknown as IUpload;
        }
        return {
            id: upload._id,
            name: upload.name,
            size: String(upload.content.length),
            type: upload.type,
            extension: upload.name.includes('.') ? upload.name.split('.').pop() : '',
            url: `/file-upload/${upload._id}/${encodeURIComponent(upload.name)}`,
            complete: true,
            uploading: false,
            progress: 1,
            store: 'GridFS:Uploads',
        } as unknown as IUpload;
    }

    protected async getBuffer(upload: IUpload): Promise<Buffer> {
        countCall(this.ctx, 'upload.getBuffer');
        const stored = this.ctx.world.uploads.get(upload.id);
        if (!stored) {
            throw new Error(`sandbox: no upload ${upload.id}`);
        }
        return Buffer.from(stored.content);
    }

    protected async createUpload(): Promise<IUpload> {
        return notEmulated('UploadBridge.createUpload');
    }
}
