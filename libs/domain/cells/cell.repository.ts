import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CellEntity } from './cell.entity';

/** Cells are platform infrastructure, not tenant data: reads are unscoped by nature. */
@Injectable()
export class CellRepository {
  constructor(@InjectRepository(CellEntity) private readonly repo: Repository<CellEntity>) {}

  findByName(name: string): Promise<CellEntity | null> {
    return this.repo.findOneBy({ name });
  }

  listAll(): Promise<CellEntity[]> {
    return this.repo.find({ order: { name: 'ASC' } });
  }

  create(fields: Partial<CellEntity>): CellEntity {
    return this.repo.create(fields);
  }

  save(cell: CellEntity): Promise<CellEntity> {
    return this.repo.save(cell);
  }
}
