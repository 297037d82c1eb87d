import { IUser, IUserCreationOptions, UserType } from '@rocket.chat/apps-engine/definition/users';
import { UserBridge } from '@rocket.chat/apps-engine/server/bridges/UserBridge';
import { notEmulated, SandboxContext } from '../context';
import { toAppUser } from '../converters';

export class SandboxUserBridge extends UserBridge {
    constructor(private readonly ctx: SandboxContext) {
        super();
    }

    protected async getById(id: string): Promise<IUser> {
        const user = this.ctx.world.users.get(id);
        return (user ? toAppUser(user) : undefined) as unknown as IUser;
    }

    protected async getByUsername(username: string): Promise<IUser> {
        const user = this.ctx.world.userByUsername(username);
        return (user ? toAppUser(user) : undefined) as unknown as IUser;
    }

    protected async getAppUser(appId?: string): Promise<IUser | undefined> {
        const user = [...this.ctx.world.users.values()].find((u) => u.type === 'app' && u.appId === appId);
        return user ? (toAppUser(user) as unknown as IUser) : undefined;
    }

    protected async getActiveUserCount(): Promise<number> {
        return this.ctx.world.users.size;
    }

    protected async getUserUnreadMessageCount(): Promise<number> {
        return 0;
    }

    /** The engine creates the app's own user through here when the app is installed. */
    protected async create(data: Partial<IUser>, appId: string, _options?: IUserCreationOptions): Promise<string> {
        const existing = data.username ? this.ctx.world.userByUsername(data.username) : undefined;
        if (existing) {
            return existing._id;
        }
        const user = this.ctx.world.addUser({
            username: data.username ?? `app-${appId}`,
            name: data.name,
            roles: data.roles ?? ['app'],
            type: data.type === UserType.APP ? 'app' : data.type === UserType.BOT ? 'bot' : 'user',
            appId: data.type === UserType.APP ? appId : undefined,
            online: true,
        });
        return user._id;
    }

    protected async remove(user: IUser): Promise<boolean> {
        return this.ctx.world.users.delete(user.id);
    }

    protected async update(): Promise<boolean> {
        return notEmulated('UserBridge.update');
    }

    protected async deleteUsersCreatedByApp(appId: string): Promise<boolean> {
        for (const [id, user] of this.ctx.world.users) {
            if (user.appId === appId) this.ctx.world.users.delete(id);
        }
        return true;
    }

    protected async deactivate(): Promise<boolean> {
        return notEmulated('UserBridge.deactivate');
    }
}
